/**
 * What one request costs, in integer nano-dollars (1e-9 USD). The ledger rounds each row once,
 * here, and then only adds integers, so every total equals the sum of its rows exactly; a row is
 * off from the real-valued price by at most half a nano-dollar.
 */
import { cacheWriteRate, inputParts } from '../../core/usage.ts';
import { listPriceOf } from '../../providers/pricing.ts';
import type { ModelPrice, Usage } from '../../core/usage.ts';

/** Nano-dollars per token for a price per million tokens: $/MTok × 1e9 / 1e6. */
const NANO_PER_TOKEN_PER_DOLLAR_PER_MTOK = 1000;

/**
 * The cost of `usage` at `price` in integer nano-dollars. Cache reads and cache writes are billed
 * at their own rates (as `costOf` does: writes default to 1.25 × input) and, when the price names one, reasoning tokens — which providers count
 * inside the output tokens — at the reasoning rate and the rest of the output at the output rate.
 */
export function ledgerCostNanoUsd(usage: Usage, price: ModelPrice | undefined): number {
  if (!price) return 0;
  const { plain, cacheRead, cacheWrite } = inputParts(usage);
  const reasoning = price.reasoningPerMTok === undefined ? 0 : Math.min(usage.reasoningTokens ?? 0, usage.outputTokens);
  const perMTok =
    plain * price.inputPerMTok +
    cacheRead * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    cacheWrite * cacheWriteRate(price) +
    (usage.outputTokens - reasoning) * price.outputPerMTok +
    reasoning * (price.reasoningPerMTok ?? price.outputPerMTok);
  return Math.max(0, Math.round(perMTok * NANO_PER_TOKEN_PER_DOLLAR_PER_MTOK));
}

/** What answered a call, as the ledger prices it. */
export interface PricedCall {
  usage: Usage;
  model: string;
  provider: string;
  /** Cost reported by the layers below, used when no price is configured. */
  reportedUsd: number | undefined;
}

/**
 * The nano-dollars one ledger row books: the configured price of the model that answered when
 * there is one, else the cost the provider reported, else the list price (0 if unknown). Budgets
 * settle with this same function, so what a budget counts as spent is what the ledger shows.
 */
export function callCostNanoUsd(call: PricedCall, priceOf: ((model: string, provider: string) => ModelPrice | undefined) | undefined): number {
  const price = priceOf?.(call.model, call.provider);
  if (price) return ledgerCostNanoUsd(call.usage, price);
  if (call.reportedUsd !== undefined) return nanoUsdFromUsd(call.reportedUsd);
  return ledgerCostNanoUsd(call.usage, listPriceOf(call.model));
}

/** A provider-reported cost in dollars, rounded once to integer nano-dollars. */
export function nanoUsdFromUsd(usd: number): number {
  return Number.isFinite(usd) && usd > 0 ? Math.round(usd * 1e9) : 0;
}

/** Integer nano-dollars as dollars (convert once, after summing). */
export function usdFromNanoUsd(nanoUsd: number): number {
  return nanoUsd / 1e9;
}
