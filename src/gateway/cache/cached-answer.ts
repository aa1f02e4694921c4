/**
 * What a cache keeps of a response, and the response a hit returns. A hit costs nothing and uses
 * no tokens, so it reports zero usage and zero cost (the ledger books nothing twice); what the
 * hit saved is in its metadata (`cache_saved_usd`, `cache_saved_tokens`).
 */
import type { ChatResponse, ChatStreamEvent, FinishReason, ResponseMetadata, ToolCall } from '../../core/model.ts';
import type { Usage } from '../../core/usage.ts';

export type CacheKind = 'exact' | 'semantic';

/** A stored answer. */
export interface CachedAnswer {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  model: string;
  provider: string;
  /** The original call's usage and cost, to report what a hit saved. */
  usage: Usage;
  usd: number;
}

/** One cache record: the answer, when it was stored, and the documents it depends on (RAG). */
export interface CacheEntry {
  answer: CachedAnswer;
  storedAt: number;
  documentIds?: string[];
}

/** A semantic-cache record: the question it answered and that question's vector. */
export interface SemanticEntry extends CacheEntry {
  id: string;
  question: string;
  vector: Float32Array;
}

// Only complete answers are worth replaying; an error or a filtered answer should be asked again.
const STORABLE: ReadonlySet<FinishReason> = new Set(['stop', 'length', 'tool_calls']);

/** Whether a response with this finish reason may be cached. */
export function isStorable(finishReason: FinishReason): boolean {
  return STORABLE.has(finishReason);
}

/** The storable part of a response. */
export function answerOf(response: ChatResponse): CachedAnswer {
  return {
    text: response.text,
    toolCalls: response.toolCalls,
    finishReason: response.finishReason,
    model: response.model,
    provider: response.provider,
    usage: response.usage,
    usd: response.cost.usd,
  };
}

/** Metadata every hit carries. */
export function hitMetadata(answer: CachedAnswer, kind: CacheKind, extra: ResponseMetadata = {}): ResponseMetadata {
  return {
    cache: kind,
    cache_saved_usd: answer.usd,
    cache_saved_tokens: answer.usage.inputTokens + answer.usage.outputTokens,
    ...extra,
  };
}

/** The response a hit returns: the stored answer at zero usage and cost. */
export function hitResponse(answer: CachedAnswer, metadata: ResponseMetadata): ChatResponse {
  return {
    text: answer.text,
    toolCalls: answer.toolCalls,
    finishReason: answer.finishReason,
    usage: { inputTokens: 0, outputTokens: 0 },
    cost: { usd: 0 },
    model: answer.model,
    provider: answer.provider,
    metadata,
  };
}

/** Replays a stored answer as a stream: text in word-sized deltas, tool calls, then the finish event. */
export async function* replayStream(answer: CachedAnswer, metadata: ResponseMetadata): AsyncGenerator<ChatStreamEvent> {
  // Word-sized pieces keep a client's incremental rendering working as it does for a live stream.
  for (const piece of answer.text.match(/\s*\S+\s*/g) ?? (answer.text ? [answer.text] : [])) yield { type: 'text-delta', text: piece };
  for (const [index, call] of answer.toolCalls.entries()) yield { type: 'tool-call-delta', index, id: call.id, name: call.name, argumentsDelta: call.arguments };
  yield { type: 'finish', finishReason: answer.finishReason, usage: { inputTokens: 0, outputTokens: 0 }, cost: { usd: 0 }, model: answer.model, provider: answer.provider, metadata };
}

/** Accumulates a live stream's events into the answer it amounts to. */
export class StreamAccumulator {
  private text = '';
  private readonly calls: Array<{ id: string; name: string; arguments: string }> = [];

  /** Adds one event; returns the answer once the finish event arrives. */
  add(event: ChatStreamEvent): CachedAnswer | undefined {
    if (event.type === 'text-delta') this.text += event.text;
    else if (event.type === 'tool-call-delta') {
      const call = (this.calls[event.index] ??= { id: '', name: '', arguments: '' });
      if (event.id !== undefined) call.id = event.id;
      if (event.name !== undefined) call.name = event.name;
      call.arguments += event.argumentsDelta;
    } else {
      return { text: this.text, toolCalls: this.calls.filter(Boolean), finishReason: event.finishReason, model: event.model, provider: event.provider, usage: event.usage, usd: event.cost.usd };
    }
    return undefined;
  }
}
