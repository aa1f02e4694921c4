/** Per-tenant budgets in tokens and US dollars, daily and monthly (UTC), hard or soft, reserve-then-settle. */
export { createBudgetMiddleware } from './budget-middleware.ts';
export type { BudgetMiddlewareOptions } from './budget-middleware.ts';
export { budgetChecks, budgetError, budgetKey, budgetMetadata, heldCheck, usdToNanos } from './budget-checks.ts';
export { budgetFor, readBudgetUsage } from './budget-usage.ts';
export type { BudgetWindowUsage, TenantBudgetUsage } from './budget-usage.ts';
export type { BudgetAmounts, BudgetCheck } from './budget-checks.ts';
export { budgetsConfigSchema, tenantBudgetSchema } from './budget-config-schema.ts';
export type { BudgetsConfig, TenantBudget } from './budget-config-schema.ts';
export { budgetWindow } from './utc-windows.ts';
export type { BudgetPeriod, BudgetWindow } from './utc-windows.ts';
