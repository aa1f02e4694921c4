/**
 * The exact cache's key: sha256 of the request fields that decide the answer (messages, model,
 * temperature, tools, tool choice, stop, max tokens, and the answer options of `answerOptionsOf`),
 * in a fixed order so that key order in the caller's objects does not matter. The signal and
 * tenant are not part of it (the tenant scopes the key instead), nor are tags, except `routingTags`.
 */
import { sha256 } from '../../core/hash.ts';
import type { ChatRequest } from '../../core/model.ts';

/** The exact-cache key of a request sent to `modelId` (the request's own `model` wins). */
export function exactCacheKey(request: ChatRequest, modelId: string, routingTags?: ReadonlySet<string>): string {
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
    ...answerOptionsOf(request, routingTags),
  };
  return sha256(JSON.stringify(normalised));
}

/**
 * The options besides the prompt that change what an answer looks like (sampling, output format,
 * reasoning effort, parallel tool calls), for both caches' keys: a JSON-mode request is never
 * served a prose answer. Of the request's tags, those in `routingTags` (the tags the router's
 * rules match): the cache sits outside the router, which may send a tagged request to another
 * model; other tags only label the call and must not split the cache. Only the options a request
 * sets are listed (under one `options` key), so requests that set none keep the keys they had
 * before these options existed.
 */
export function answerOptionsOf(request: ChatRequest, routingTags?: ReadonlySet<string>): { options?: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  if (request.topP !== undefined) options['topP'] = request.topP;
  if (request.seed !== undefined) options['seed'] = request.seed;
  if (request.frequencyPenalty !== undefined) options['frequencyPenalty'] = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) options['presencePenalty'] = request.presencePenalty;
  if (request.responseFormat !== undefined && request.responseFormat.type !== 'text') options['responseFormat'] = canonical(request.responseFormat);
  if (request.reasoningEffort !== undefined) options['reasoningEffort'] = request.reasoningEffort;
  if (request.parallelToolCalls !== undefined) options['parallelToolCalls'] = request.parallelToolCalls;
  const routing = routingTags && request.tags ? [...new Set(request.tags.filter((tag) => routingTags.has(tag)))].sort() : [];
  if (routing.length > 0) options['routingTags'] = routing;
  return Object.keys(options).length === 0 ? {} : { options };
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
