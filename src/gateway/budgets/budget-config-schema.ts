/**
 * Config for per-tenant budgets (the lead mounts it as `budgets`):
 *
 *   budgets:
 *     backend: memory                       # or { redis: redis://127.0.0.1:6379 }
 *     tenants:
 *       acme: { usd: { daily: 5, monthly: 100 }, tokens: { daily: 2000000 }, mode: hard }
 *       "*":  { usd: { monthly: 10 }, mode: soft }     # every tenant without its own entry
 */
import { z } from 'zod';
import { counterBackendSchema } from '../limits/limits-config-schema.ts';

const periods = (amount: z.ZodNumber) =>
  z
    .object({ daily: amount.optional(), monthly: amount.optional() })
    .strict();

/** One tenant's budget: tokens and/or US dollars per UTC day and/or month. */
export const tenantBudgetSchema = z
  .object({
    tokens: periods(z.number().int().positive()).optional(),
    usd: periods(z.number().positive()).optional(),
    /** hard: refuse a request whose worst case does not fit; soft: allow it and flag it. */
    mode: z.enum(['hard', 'soft']).default('hard'),
  })
  .strict();

export const budgetsConfigSchema = z
  .object({
    backend: counterBackendSchema.default('memory'),
    /** Per tenant id; "*" applies to every tenant without its own entry. */
    tenants: z.record(z.string().min(1), tenantBudgetSchema).default({}),
    /**
     * Output tokens reserved for a request that sets no maxOutputTokens. Under a hard budget the
     * request is also capped to it, because the reservation must be a true worst case.
     */
    defaultMaxOutputTokens: z.number().int().positive().default(4096),
  })
  .strict();

export type TenantBudget = z.infer<typeof tenantBudgetSchema>;
export type BudgetsConfig = z.infer<typeof budgetsConfigSchema>;
