/**
 * List prices (US dollars per million tokens) of common hosted models, as published by OpenAI
 * and Anthropic in 2025. They are defaults for cost reports, not truth: prices change and
 * contracts differ, so a configured `price` always wins. Models we do not know — including
 * every offline or self-hosted model — cost 0.
 */
import type { ModelPrice } from '../core/usage.ts';

/** Published list prices by model family; dated snapshots ("gpt-4o-2024-08-06") match their family. */
export const LIST_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4o': { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4 },
  // Anthropic bills cache reads at 10% of input and cache writes at 1.25x (the default cacheWriteInputPerMTok).
  'claude-3-5-haiku': { inputPerMTok: 0.8, cachedInputPerMTok: 0.08, outputPerMTok: 4 },
  'claude-sonnet-4': { inputPerMTok: 3, cachedInputPerMTok: 0.3, outputPerMTok: 15 },
  'claude-opus-4': { inputPerMTok: 15, cachedInputPerMTok: 1.5, outputPerMTok: 75 },
  'text-embedding-3-small': { inputPerMTok: 0.02, outputPerMTok: 0 },
  'text-embedding-3-large': { inputPerMTok: 0.13, outputPerMTok: 0 },
  'text-embedding-ada-002': { inputPerMTok: 0.1, outputPerMTok: 0 },
});

/** What an offline or self-hosted model costs per token. */
export const OFFLINE_PRICE: ModelPrice = Object.freeze({ inputPerMTok: 0, outputPerMTok: 0 });

/**
 * The list price of a model id: an exact entry, else the longest family name it starts with
 * followed by "-" (so "gpt-4o-mini-2024-07-18" is gpt-4o-mini, not gpt-4o). Undefined if unknown.
 */
export function listPriceOf(modelId: string): ModelPrice | undefined {
  const id = modelId.toLowerCase();
  const exact = LIST_PRICES[id];
  if (exact) return exact;
  let best: string | undefined;
  for (const family of Object.keys(LIST_PRICES)) {
    if (id.startsWith(`${family}-`) && family.length > (best?.length ?? 0)) best = family;
  }
  return best === undefined ? undefined : LIST_PRICES[best];
}

/** The price to charge: the configured one if any, else the list price, else offline (0). */
export function resolvePrice(modelId: string, configured?: ModelPrice): ModelPrice {
  return configured ?? listPriceOf(modelId) ?? OFFLINE_PRICE;
}
