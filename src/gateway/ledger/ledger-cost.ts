/**
 * What one request costs, in integer nano-dollars (1e-9 USD). The ledger rounds each row once,
 * here, and then only adds integers, so every total equals the sum of its rows exactly; a row is
 * off from the real-valued price by at most half a nano-dollar.
 */
import type { ModelPrice, Usage } from '../../core/usage.ts';

/** Nano-dollars per token for a price per million tokens: $/MTok × 1e9 / 1e6. */
const NANO_PER_TOKEN_PER_DOLLAR_PER_MTOK = 1000;

/**
 * The cost of `usage` at `price` in integer nano-dollars. Cached input is billed at its own rate
 * (as `costOf` does) and, when the price names one, reasoning tokens — which providers count
 * inside the output tokens — at the reasoning rate and the rest of the output at the output rate.
 */
export function ledgerCostNanoUsd(usage: Usage, price: ModelPrice | undefined): number {
  if (!price) return 0;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const reasoning = price.reasoningPerMTok === undefined ? 0 : Math.min(usage.reasoningTokens ?? 0, usage.outputTokens);
  const perMTok =
    (usage.inputTokens - cached) * price.inputPerMTok +
    cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    (usage.outputTokens - reasoning) * price.outputPerMTok +
    reasoning * (price.reasoningPerMTok ?? price.outputPerMTok);
  return Math.max(0, Math.round(perMTok * NANO_PER_TOKEN_PER_DOLLAR_PER_MTOK));
}

/** A provider-reported cost in dollars, rounded once to integer nano-dollars. */
export function nanoUsdFromUsd(usd: number): number {
  return Number.isFinite(usd) && usd > 0 ? Math.round(usd * 1e9) : 0;
}

/** Integer nano-dollars as dollars (convert once, after summing). */
export function usdFromNanoUsd(nanoUsd: number): number {
  return nanoUsd / 1e9;
}
