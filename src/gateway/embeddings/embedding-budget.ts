/**
 * Tenant budgets for embeddings, on the same counters and windows as chat (so GET /v1/budgets
 * counts both): reserve the texts' tokens (our tokenizer, rounded up by a margin) at the chain's
 * dearest price, settle to what the provider reported, release on failure. It sits inside the
 * cache, so texts served from the cache cost nothing and meet no budget.
 */
import type { EmbedResult, ResponseMetadata } from '../../core/model.ts';
import { costOf, type ModelPrice } from '../../core/usage.ts';
import { budgetChecks, budgetError, budgetMetadata, heldCheck, usdToNanos } from '../budgets/budget-checks.ts';
import type { TenantBudget } from '../budgets/budget-config-schema.ts';
import type { CounterStore } from '../limits/counter-store.ts';
import { Reservation } from '../limits/reservation.ts';
import { worstCaseEmbeddingTokens } from './embedding-estimate.ts';
import type { EmbeddingMiddleware } from './embedding-middleware.ts';
import { wrapEmbedding } from './embedding-middleware.ts';

export interface EmbeddingBudgetOptions {
  counters: CounterStore;
  tenants: Record<string, TenantBudget>;
  defaultTenant: string;
  /** The dearest price the chain may be billed at. */
  price: ModelPrice;
  /** Nano-dollars of a finished call as the ledger books it (embeddingCostNanoUsd); default: the provider's cost, rounded. */
  costNanoOf?: (result: EmbedResult) => number;
  now?: () => number;
  onSettleError?: (error: unknown) => void;
}

/** Middleware enforcing (hard) or flagging (soft) tenant budgets on embeddings calls. */
export function embeddingBudget(options: EmbeddingBudgetOptions): EmbeddingMiddleware {
  const now = options.now ?? Date.now;
  return (next) =>
    wrapEmbedding(next, async (texts, embedOptions) => {
      const tenant = embedOptions.tenantId ?? options.defaultTenant;
      const budget = options.tenants[tenant] ?? options.tenants['*'];
      if (!budget) return next.embed(texts, embedOptions);
      const worstTokens = worstCaseEmbeddingTokens(texts);
      const nowMs = now();
      const checks = budgetChecks(tenant, budget, { tokens: worstTokens, nanos: usdToNanos(costOf({ inputTokens: worstTokens, outputTokens: 0 }, options.price).usd, true) }, nowMs);
      if (checks.length === 0) return next.embed(texts, embedOptions);
      const { outcome, reservation } = await Reservation.take(options.counters, [...checks.map((c) => c.check), ...checks.map((c) => heldCheck(c.check))], nowMs);
      if (!reservation) throw budgetError(tenant, checks, outcome, nowMs);
      const settle = async (tokens: number, nanos: number): Promise<ResponseMetadata> => {
        try {
          const left = await reservation.settle([...checks.map((c) => (c.unit === 'tokens' ? tokens : nanos)), ...checks.map(() => 0)], now());
          return left ? budgetMetadata(checks, left.slice(0, checks.length), budget.mode) : {};
        } catch (error) {
          options.onSettleError?.(error);
          return {};
        }
      };
      let result;
      try {
        result = await next.embed(texts, embedOptions);
      } catch (error) {
        await settle(0, 0);
        throw error;
      }
      const metadata = await settle(result.usage.inputTokens, options.costNanoOf ? options.costNanoOf(result) : usdToNanos(result.cost.usd));
      return { ...result, metadata: { ...result.metadata, ...metadata } };
    });
}
