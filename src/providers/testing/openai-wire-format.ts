/**
 * Bodies in OpenAI's documented wire format (https://platform.openai.com/docs/api-reference):
 * chat completions as JSON or as `chat.completion.chunk` SSE events, embeddings lists and
 * `{error:{message,type,param,code}}` errors. Used by the OpenAI wire server.
 */
import { getTokenizer } from '../../core/tokenizer.ts';
import type { WireEvent } from './wire-server.ts';

export interface OpenAIUsageReply {
  prompt_tokens: number;
  completion_tokens: number;
  /** Sent as `prompt_tokens_details.cached_tokens`. */
  cached_tokens?: number;
  /** Sent as `completion_tokens_details.reasoning_tokens`. */
  reasoning_tokens?: number;
}

export interface OpenAIChatReply {
  type: 'chat';
  text?: string;
  /** How the text is split into streamed chunks; word by word when not given. */
  textChunks?: string[];
  toolCalls?: { id: string; name: string; arguments: string }[];
  /** Default: "tool_calls" when there are tool calls, else "stop". */
  finishReason?: string;
  /** null: the server reports no usage at all (as some local servers do). Default: counted. */
  usage?: OpenAIUsageReply | null;
  /** Default: the model the request named. */
  model?: string;
  headers?: Record<string, string>;
  /** Streaming only: pause between chunks. */
  delayMs?: number;
  /** Streaming only: cut the connection after this many events. */
  cutAfter?: number;
  /** Streaming only: stop sending (connection open) after this many events. */
  stallAfter?: number;
  /** Streaming only: end the stream without `data: [DONE]`. */
  omitDone?: boolean;
  /** Streaming only: send `data: {"error":{...}}` after this many chunks, then end. */
  streamError?: { after: number; message: string; type?: string };
}

export interface OpenAIEmbeddingsReply {
  type: 'embeddings';
  /** One vector per input; derived from each input text when not given. */
  vectors?: number[][];
  /** Length of derived vectors; default: the request's `dimensions`, else 8. */
  dimensions?: number;
  usage?: { prompt_tokens: number } | null;
  /** List `data` in reverse order (the `index` field stays right), as some servers do. */
  reverseOrder?: boolean;
  /** Default: what the request asked for with `encoding_format`. */
  encoding?: 'float' | 'base64';
}

export interface OpenAIErrorReply {
  type: 'error';
  status: number;
  message: string;
  /** e.g. "invalid_request_error", "rate_limit_exceeded" */
  errorType?: string;
  code?: string | null;
  headers?: Record<string, string>;
}

interface RequestedChat {
  model?: unknown;
  messages?: unknown;
  stream_options?: { include_usage?: unknown };
}

const tokenizer = getTokenizer();
const CREATED = 1_700_000_000;

/** The `chat.completion` JSON object for a scripted reply. */
export function chatCompletionBody(reply: OpenAIChatReply, request: RequestedChat): unknown {
  const text = reply.text ?? '';
  const toolCalls = reply.toolCalls ?? [];
  const usage = usageOf(reply, request);
  return {
    id: 'chatcmpl-wire-1',
    object: 'chat.completion',
    created: CREATED,
    model: modelOf(reply, request),
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0
            ? { tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) }
            : {}),
        },
        logprobs: null,
        finish_reason: finishReasonOf(reply),
      },
    ],
    ...(usage === null ? {} : { usage }),
  };
}

/** The SSE events of a streamed chat completion, ending in `data: [DONE]`. */
export function chatCompletionEvents(reply: OpenAIChatReply, request: RequestedChat): WireEvent[] {
  const includeUsage = request.stream_options?.include_usage === true;
  const model = modelOf(reply, request);
  const chunk = (choices: unknown[], usage: unknown = null): WireEvent => ({
    data: JSON.stringify({
      id: 'chatcmpl-wire-1',
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      system_fingerprint: null,
      choices,
      ...(includeUsage ? { usage } : {}),
    }),
  });
  const delta = (d: unknown, finishReason: string | null = null): WireEvent =>
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finishReason }]);

  const events: WireEvent[] = [delta({ role: 'assistant', content: '', refusal: null })];
  for (const piece of reply.textChunks ?? splitWords(reply.text ?? '')) events.push(delta({ content: piece }));
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    events.push(delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of splitInHalves(call.arguments)) events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  }
  events.push(delta({}, finishReasonOf(reply)));
  const usage = usageOf(reply, request);
  if (includeUsage && usage !== null) events.push(chunk([], usage));

  if (reply.streamError) {
    const error = { error: { message: reply.streamError.message, type: reply.streamError.type ?? 'server_error', param: null, code: null } };
    return [...events.slice(0, reply.streamError.after), { data: JSON.stringify(error) }];
  }
  return reply.omitDone ? events : [...events, { data: '[DONE]' }];
}

/** The embeddings list for a scripted reply, in the encoding the request asked for. */
export function embeddingsBody(reply: OpenAIEmbeddingsReply, request: { input?: unknown; model?: unknown; dimensions?: unknown; encoding_format?: unknown }): unknown {
  const inputs = Array.isArray(request.input) ? request.input.map(String) : [String(request.input ?? '')];
  const dimensions = reply.dimensions ?? (typeof request.dimensions === 'number' ? request.dimensions : 8);
  const vectors = reply.vectors ?? inputs.map((text) => vectorFromText(text, dimensions));
  const encoding = reply.encoding ?? (request.encoding_format === 'base64' ? 'base64' : 'float');
  const data = vectors.map((vector, index) => ({
    object: 'embedding',
    index,
    embedding: encoding === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
  }));
  const promptTokens = reply.usage === undefined ? inputs.reduce((sum, text) => sum + tokenizer.count(text), 0) : reply.usage?.prompt_tokens;
  return {
    object: 'list',
    data: reply.reverseOrder ? data.reverse() : data,
    model: typeof request.model === 'string' ? request.model : 'text-embedding-wire',
    ...(promptTokens === undefined ? {} : { usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }),
  };
}

/** OpenAI's error body. */
export function openAIErrorBody(message: string, type: string, code: string | null = null): unknown {
  return { error: { message, type, param: null, code } };
}

/** A deterministic, not normalised vector from a text, so tests can check order and normalising. */
export function vectorFromText(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (let i = 0; i < text.length; i++) vector[i % dimensions]! += (text.charCodeAt(i) % 17) + 1;
  if (!vector.some((value) => value !== 0)) vector[0] = 1;
  return vector;
}

function usageOf(reply: OpenAIChatReply, request: RequestedChat): unknown {
  if (reply.usage === null) return null;
  const counted = reply.usage ?? {
    prompt_tokens: countPromptTokens(request.messages),
    completion_tokens: tokenizer.count(reply.text ?? '') + (reply.toolCalls ?? []).reduce((n, c) => n + tokenizer.count(c.arguments), 0),
  };
  return {
    prompt_tokens: counted.prompt_tokens,
    completion_tokens: counted.completion_tokens,
    total_tokens: counted.prompt_tokens + counted.completion_tokens,
    prompt_tokens_details: { cached_tokens: counted.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: counted.reasoning_tokens ?? 0, audio_tokens: 0 },
  };
}

function countPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  return messages.reduce<number>((sum, m) => sum + 4 + tokenizer.count(typeof m?.content === 'string' ? m.content : ''), 3);
}

function modelOf(reply: OpenAIChatReply, request: RequestedChat): string {
  return reply.model ?? (typeof request.model === 'string' ? request.model : 'wire-model');
}

function finishReasonOf(reply: OpenAIChatReply): string {
  return reply.finishReason ?? ((reply.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop');
}

function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

function splitInHalves(text: string): string[] {
  if (text.length < 2) return text === '' ? [] : [text];
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}
