/**
 * Reading OpenAI-compatible responses: finish reasons, usage (with cached and reasoning token
 * details) and, when a server reports no usage, a count with our own tokenizer.
 */
import type { FinishReason, Message } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { Usage } from '../../core/usage.ts';

/** OpenAI's `finish_reason` → ours. */
export function toFinishReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** The `usage` object of a response or final stream chunk, or undefined when the server sent none. */
export function toUsage(raw: unknown): Usage | undefined {
  const usage = asRecord(raw);
  if (!usage || typeof usage['prompt_tokens'] !== 'number') return undefined;
  const result: Usage = {
    inputTokens: usage['prompt_tokens'],
    outputTokens: numberOr(usage['completion_tokens'], 0),
  };
  const cached = numberOr(asRecord(usage['prompt_tokens_details'])?.['cached_tokens'], 0);
  const reasoning = numberOr(asRecord(usage['completion_tokens_details'])?.['reasoning_tokens'], 0);
  if (cached > 0) result.cachedInputTokens = cached;
  if (reasoning > 0) result.reasoningTokens = reasoning;
  return result;
}

const tokenizer = getTokenizer();

/**
 * Usage counted locally for servers that report none (some llama.cpp and proxy builds), using
 * OpenAI's documented per-message overhead: 3 tokens per message plus 3 to prime the reply.
 */
export function estimateUsage(messages: Message[], outputText: string): Usage {
  const inputTokens = messages.reduce((sum, message) => {
    const calls = (message.toolCalls ?? []).map((call) => call.name + call.arguments).join('');
    return sum + 3 + tokenizer.count(message.content) + (calls ? tokenizer.count(calls) : 0);
  }, 3);
  return { inputTokens, outputTokens: tokenizer.count(outputText) };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
