/** Token usage of one model call. Offline models still count tokens; their cost is 0. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from a provider's prompt cache (priced at their own rate). */
  cachedInputTokens?: number;
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
  reasoningPerMTok?: number;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0 });
export const ZERO_COST: Cost = Object.freeze({ usd: 0 });

/** Cost of a call from its usage; cached input is billed at its own rate, the rest at the input rate. */
export function costOf(usage: Usage, price: ModelPrice | undefined): Cost {
  if (!price) return { usd: 0 };
  const cached = usage.cachedInputTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cached);
  const cachedRate = price.cachedInputPerMTok ?? price.inputPerMTok;
  const usd =
    (uncached * price.inputPerMTok + cached * cachedRate + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  return { usd };
}

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  const cached = (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0);
  const reasoning = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  if (cached) sum.cachedInputTokens = cached;
  if (reasoning) sum.reasoningTokens = reasoning;
  return sum;
}
