/**
 * The exact cache's key: sha256 of the request fields that decide the answer (messages, model,
 * temperature, tools, tool choice, stop, max tokens), in a fixed order so that key order in the
 * caller's objects does not matter. The signal, tags and tenant are not part of it: the tenant
 * scopes the key instead, and tags only label the call.
 */
import { sha256 } from '../../core/hash.ts';
import type { ChatRequest } from '../../core/model.ts';

/** The exact-cache key of a request sent to `modelId` (the request's own `model` wins). */
export function exactCacheKey(request: ChatRequest, modelId: string): string {
  const normalised = {
    model: request.model ?? modelId,
    messages: request.messages.map((m) => ({
      role: m.role,
      content: m.content.trim(),
      name: m.name ?? null,
      toolCallId: m.toolCallId ?? null,
      toolCalls: (m.toolCalls ?? []).map((c) => [c.id, c.name, c.arguments]),
    })),
    temperature: request.temperature ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    stop: request.stop ?? [],
    tools: (request.tools ?? []).map((t) => canonical(t)),
    toolChoice: request.toolChoice ?? null,
    // The offline answerer reads passages, not messages: they decide its answer.
    passages: (request.passages ?? []).map((p) => [p.n, p.chunkId, p.text]),
  };
  return sha256(JSON.stringify(normalised));
}

/**
 * Whether a request is deterministic enough to cache by default: temperature 0 or unset. Unset
 * counts because most callers that leave it unset (RAG, judges) want the same answer each time;
 * a caller sampling on purpose sets a temperature above 0 and is never served a cached answer.
 */
export function isDeterministic(request: ChatRequest): boolean {
  return request.temperature === undefined || request.temperature === 0;
}

// Sorted keys, recursively, so {a,b} and {b,a} hash alike.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}
