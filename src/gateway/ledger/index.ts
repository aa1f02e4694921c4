/** The cost ledger: one row per request, costs in exact integer nano-dollars. */
export { ledgerMiddleware } from './ledger-middleware.ts';
export type { LedgerMiddlewareOptions } from './ledger-middleware.ts';
export { ledgerCostNanoUsd, nanoUsdFromUsd, usdFromNanoUsd } from './ledger-cost.ts';
export { estimatedUsage } from './estimated-usage.ts';
export type { LedgerCacheHit, LedgerEntry, LedgerRange, LedgerTotals, ListLedgerOptions } from '../../core/store.ts';
