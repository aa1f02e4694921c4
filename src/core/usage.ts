/** Token usage of one model call. Offline models still count tokens; their cost is 0. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from a provider's prompt cache (part of inputTokens; priced at the cached rate). */
  cachedInputTokens?: number;
  /**
   * Input tokens written to a provider's prompt cache (part of inputTokens; priced at the cache-write
   * rate). Only providers that bill writes apart report them: Anthropic's cache_creation_input_tokens.
   */
  cacheWriteInputTokens?: number;
  /** Reasoning tokens, already included in outputTokens by providers that report them. */
  reasoningTokens?: number;
}

/** Money spent on one call, in US dollars. */
export interface Cost {
  usd: number;
}

/** Prices per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
  /**
   * Prompt-cache writes. Default: CACHE_WRITE_MULTIPLIER × inputPerMTok, Anthropic's rate for its
   * 5-minute cache; set 2 × input for its 1-hour cache. Only Anthropic reports cache writes, so
   * the default never applies to providers that cache for free (OpenAI).
   */
  cacheWriteInputPerMTok?: number;
  reasoningPerMTok?: number;
}

/** Anthropic bills a 5-minute prompt-cache write at 1.25 × the input price. */
export const CACHE_WRITE_MULTIPLIER = 1.25;

/** The price of one million cache-write tokens: the configured rate, else 1.25 × input. */
export function cacheWriteRate(price: ModelPrice): number {
  return price.cacheWriteInputPerMTok ?? price.inputPerMTok * CACHE_WRITE_MULTIPLIER;
}

/**
 * The input tokens of `usage` by how they are billed: plain, cache reads and cache writes. Reads
 * and writes are part of inputTokens; a provider reporting more of them than input is clamped.
 */
export function inputParts(usage: Usage): { plain: number; cacheRead: number; cacheWrite: number } {
  const cacheRead = Math.min(Math.max(0, usage.cachedInputTokens ?? 0), usage.inputTokens);
  const cacheWrite = Math.min(Math.max(0, usage.cacheWriteInputTokens ?? 0), usage.inputTokens - cacheRead);
  return { plain: usage.inputTokens - cacheRead - cacheWrite, cacheRead, cacheWrite };
}

/** A price as configuration gives it (optional rates may be undefined). */
export interface ConfiguredPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number | undefined;
  cacheWriteInputPerMTok?: number | undefined;
  reasoningPerMTok?: number | undefined;
}

/** A configured price without the rates that were left out (exactOptionalPropertyTypes). */
export function modelPriceOf(p: ConfiguredPrice): ModelPrice {
  return {
    inputPerMTok: p.inputPerMTok,
    outputPerMTok: p.outputPerMTok,
    ...(p.cachedInputPerMTok !== undefined ? { cachedInputPerMTok: p.cachedInputPerMTok } : {}),
    ...(p.cacheWriteInputPerMTok !== undefined ? { cacheWriteInputPerMTok: p.cacheWriteInputPerMTok } : {}),
    ...(p.reasoningPerMTok !== undefined ? { reasoningPerMTok: p.reasoningPerMTok } : {}),
  };
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0 });
export const ZERO_COST: Cost = Object.freeze({ usd: 0 });

/**
 * Cost of a call from its usage: cache reads at the cached rate, cache writes at the cache-write
 * rate (default 1.25 × input), the rest of the input at the input rate.
 */
export function costOf(usage: Usage, price: ModelPrice | undefined): Cost {
  if (!price) return { usd: 0 };
  const { plain, cacheRead, cacheWrite } = inputParts(usage);
  const cachedRate = price.cachedInputPerMTok ?? price.inputPerMTok;
  const usd =
    (plain * price.inputPerMTok + cacheRead * cachedRate + cacheWrite * cacheWriteRate(price) + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  return { usd };
}

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  const cached = (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0);
  const cacheWrite = (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0);
  const reasoning = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  if (cached) sum.cachedInputTokens = cached;
  if (cacheWrite) sum.cacheWriteInputTokens = cacheWrite;
  if (reasoning) sum.reasoningTokens = reasoning;
  return sum;
}
