/** OpenAI's wire shapes for chat completions: responses, stream chunks, usage, and plumb's response headers. */
import type { FinishReason, ToolCall } from '../../core/model.ts';
import type { Usage } from '../../core/usage.ts';

export function openAIToolCall(t: ToolCall) {
  return { id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } };
}

export function openAIFinish(reason: FinishReason): string {
  return reason === 'error' || reason === 'other' ? 'stop' : reason;
}

export function openAIUsage(u: Usage) {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  };
}

export function completion(id: string, created: number, model: string, message: object, finish: FinishReason, usage: Usage) {
  return { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: openAIFinish(finish), logprobs: null }], usage: openAIUsage(usage) };
}

export function chunk(id: string, created: number, model: string, delta: object | null, finish: string | null) {
  return { id, object: 'chat.completion.chunk', created, model, choices: delta === null ? [] : [{ index: 0, delta, finish_reason: finish, logprobs: null }] };
}

/**
 * How the answer was produced, as response headers: the provider that answered, its cost, and
 * what gateway layers reported (cache hit, attempts, fallback), e.g. `x-plumb-cache: exact`.
 */
export function responseHeaders(provider: string, costUsd: number, metadata: Record<string, string | number | boolean | null> | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'x-plumb-provider': String(metadata?.provider ?? provider), 'x-plumb-cost-usd': costUsd.toFixed(8) };
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (key === 'provider' || value === null) continue;
    headers[headerNameOf(key)] = String(value);
  }
  return headers;
}

// Metadata keys are a handful of fixed names; each header name is built once, not per response.
const headerNames = new Map<string, string>();
const MAX_HEADER_NAMES = 1_000;

/** `budgetRemainingUsd` → `x-plumb-budget-remaining-usd`. */
function headerNameOf(key: string): string {
  let name = headerNames.get(key);
  if (name === undefined) {
    name = `x-plumb-${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
    if (headerNames.size < MAX_HEADER_NAMES) headerNames.set(key, name);
  }
  return name;
}
