/**
 * The model interfaces every provider implements and every consumer (RAG, evals, agents, the
 * gateway, the OpenAI-compatible endpoint) calls. Small and provider-neutral on purpose: a
 * gateway is itself a ChatModel that wraps ChatModels, so middleware composes.
 */
import type { JsonObject } from './json.ts';
import type { Cost, Usage } from './usage.ts';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** Arguments as the JSON text the model produced (may be invalid JSON; callers validate). */
  arguments: string;
}

export interface Message {
  role: Role;
  content: string;
  /** Tool calls an assistant message made. */
  toolCalls?: ToolCall[];
  /** For role 'tool': which call this message answers. */
  toolCallId?: string;
  name?: string;
  /**
   * Prompt-cache hint: the prompt up to and including this message is a stable prefix worth
   * caching (it will be sent again unchanged). Providers with explicit prompt caching map it to
   * their own marker (Anthropic: `cache_control` on the message's last content block, at most 4
   * per request); providers that cache prefixes automatically (OpenAI) do not send it. It never
   * changes the answer, so the exact-cache key (src/gateway/cache/exact-key.ts) leaves it out.
   */
  cacheBreakpoint?: boolean;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: JsonObject;
}

/**
 * The shape the answer must take: free text (the default), any JSON object, or JSON matching a
 * schema (OpenAI's structured outputs; `strict` asks the provider to enforce it).
 */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema?: JsonObject; description?: string; strict?: boolean };

/** A numbered context passage given to the model; `[n]` in an answer cites passage n. */
export interface ContextPassage {
  /** 1-based number used in citations. */
  n: number;
  chunkId: string;
  documentId: string;
  title?: string;
  text: string;
}

export interface ChatRequest {
  messages: Message[];
  /** Overrides the model id the provider was configured with. */
  model?: string;
  temperature?: number;
  maxOutputTokens?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  /** Whether the model may call several tools in one turn (OpenAI's default: yes). */
  parallelToolCalls?: boolean;
  /** Nucleus sampling: only tokens within this probability mass (0–1). */
  topP?: number;
  /** Best-effort deterministic sampling, where the provider supports it (OpenAI). */
  seed?: number;
  /** -2..2: penalise tokens by how often / whether they appeared so far (OpenAI). */
  frequencyPenalty?: number;
  presencePenalty?: number;
  responseFormat?: ResponseFormat;
  /** How hard a reasoning model thinks (OpenAI's `reasoning_effort`). */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /**
   * The caller's say over the gateway's caches, as HTTP's `Cache-Control` request directives:
   * `no-cache` never serves a cached answer but stores the fresh one (a refresh); `no-store`
   * neither reads nor writes the caches.
   */
  cacheControl?: 'no-cache' | 'no-store';
  /** The end user a call is for, passed to the provider for abuse monitoring (OpenAI `user`, Anthropic `metadata.user_id`). */
  endUser?: string;
  /**
   * The retrieved passages behind the prompt. LLM providers ignore this (the prompt builder has
   * already put the passages into `messages`); the offline extractive answerer reads it.
   */
  passages?: ContextPassage[];
  signal?: AbortSignal;
  /** Who the call is for: the gateway scopes caches, limits, budgets and the ledger by it. */
  tenantId?: string;
  /** Free-form labels for routing and the ledger, e.g. ["rag", "judge"]. */
  tags?: string[];
  /** The trace this call belongs to, for its ledger row (else the current span's trace, if any). */
  traceId?: string;
  /**
   * Set by a caller whose trace is this one call (Plumb.chat): the ledger books the call's row
   * under the trace id (row id = traceId) and sets `booked`, and the row then stands for the
   * trace, which need not be stored a second time (store/sqlite/ledger-traces.ts).
   */
  ledgerTrace?: { booked: boolean };
}

/**
 * What wrappers (the gateway's cache, router, fallback, ledger) say about how a response was
 * produced, e.g. { cache: "exact", provider: "openai", attempts: 2 }. Shown as response headers.
 */
export type ResponseMetadata = Record<string, string | number | boolean | null>;

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

export interface ChatResponse {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  cost: Cost;
  /** The provider's name for the model that answered. */
  model: string;
  provider: string;
  metadata?: ResponseMetadata;
}

export type ChatStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; cost: Cost; model: string; provider: string; metadata?: ResponseMetadata };

export interface ChatModel {
  /** Interface version, bumped on breaking changes so wrappers can check what they wrap. */
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly modelId: string;
  generate(request: ChatRequest): Promise<ChatResponse>;
  /** Yields deltas, then exactly one `finish` event carrying usage and cost. */
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
}

export interface EmbedOptions {
  /** Some encoders embed queries and documents differently. */
  purpose?: 'query' | 'document';
  signal?: AbortSignal;
  /** Who the call is for: the gateway scopes its embedding cache, budgets and the ledger by it. */
  tenantId?: string;
  /** Free-form labels for the ledger. */
  tags?: string[];
  /** What the caller asked for (a gateway embedding alias), for the ledger's route. */
  route?: string;
  /** The trace this call belongs to, for its ledger row (else the current span's trace, if any). */
  traceId?: string;
  /** As ChatRequest.ledgerTrace: the row is booked under the trace id and stands for the trace. */
  ledgerTrace?: { booked: boolean };
}

export interface EmbedResult {
  /** One unit-length vector per input text, in input order. */
  vectors: Float32Array[];
  usage: Usage;
  cost: Cost;
  /** What gateway layers say about how the vectors were made (provider, cache, attempts…). */
  metadata?: ResponseMetadata;
}

export interface EmbeddingModel {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly modelId: string;
  readonly dimensions: number;
  /** The most texts one `embed` call accepts; callers batch above this. */
  readonly maxBatchSize: number;
  embed(texts: string[], options?: EmbedOptions): Promise<EmbedResult>;
}
