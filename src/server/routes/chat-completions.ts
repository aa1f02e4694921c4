/**
 * POST /v1/chat/completions, independent of the HTTP framework: the Hono route (openai-compatible.ts)
 * and the Node server's direct route (node-chat-route.ts) both answer through `chatCompletion`.
 * `plumb-rag` answers from the tenant's documents (citations in an extra `plumb` field);
 * `plumb-chat` goes straight to the configured chat model, tool calls included; any other name is
 * a gateway alias, chain, route or provider/model.
 */
import type { z } from 'zod';
import { PlumbError, toPlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import type { ChatRequest, Message, ResponseFormat } from '../../core/model.ts';
import { randomHex } from '../../observe/random-id.ts';
import type { chatCompletionBodySchema } from '../http-schemas.ts';
import type { CallerOptions } from '../caller-options.ts';
import type { ServerContext } from '../server-env.ts';
import type { SseWriter } from '../sse.ts';
import { chunk, completion, openAIFinish, openAIToolCall, openAIUsage, responseHeaders } from './openai-wire.ts';

export const RAG_MODEL = 'plumb-rag';
export const CHAT_MODEL = 'plumb-chat';

export type ChatCompletionBody = z.infer<typeof chatCompletionBodySchema>;

/** What to answer: one JSON body with its headers, or a stream of server-sent events. */
export type ChatCompletionReply =
  | { kind: 'json'; headers: Record<string, string>; body: object }
  | { kind: 'stream'; produce: (w: SseWriter) => Promise<void> };

const created = () => Math.floor(Date.now() / 1000);

/**
 * Answers a validated chat completion body for `tenantId`. `signal` fires when the client goes
 * away, which cancels the upstream call. `caller` holds what the request's headers said (tags,
 * cache control; caller-options.ts), for gateway and chat models. Errors before the answer starts
 * are thrown (the caller turns them into an error response), a stream's too when they come before
 * its first event; errors later in a stream reach `chatStreamError`.
 */
export async function chatCompletion(ctx: ServerContext, tenantId: string, body: ChatCompletionBody, signal: AbortSignal, caller: CallerOptions = {}): Promise<ChatCompletionReply> {
  const id = `chatcmpl-${randomHex(12)}`;
  const messages = toMessages(body);
  const includeUsage = body.stream_options?.include_usage === true;

  if (body.model === RAG_MODEL) {
    const last = messages.at(-1);
    if (!last || last.role !== 'user' || !last.content.trim()) throw new PlumbError('bad_request', `model ${RAG_MODEL} needs the last message to be a non-empty user message (the question)`);
    if (body.response_format && body.response_format.type !== 'text') {
      throw new PlumbError('bad_request', `model ${RAG_MODEL} answers in text with citations; response_format ${body.response_format.type} is for gateway models`, { hint: 'Drop response_format, or call a gateway alias or "plumb-chat" with the retrieved passages in the prompt.' });
    }
    const history = messages.slice(0, -1).filter((m) => m.role !== 'tool');
    const options = { tenantId, history, signal };
    if (!body.stream) {
      const result = await ctx.plumb.ask(last.content, options);
      const a = result.answer;
      return {
        kind: 'json',
        headers: { 'x-plumb-trace-id': result.traceId },
        body: {
          ...completion(id, created(), RAG_MODEL, { role: 'assistant', content: a.text, refusal: null }, 'stop', a.usage),
          plumb: { traceId: result.traceId, citations: a.citations, abstained: a.abstained, retrievalMode: result.retrieval.mode },
        },
      };
    }
    return {
      kind: 'stream',
      produce: async (w) => {
        const t = created();
        const opening = roleChunkOnce(w, id, t, RAG_MODEL);
        for await (const event of ctx.plumb.askStream(last.content, options)) {
          if (event.type !== 'retrieval') opening();
          if (event.type === 'delta') w.sendRaw(JSON.stringify(chunk(id, t, RAG_MODEL, { content: event.text }, null)));
          else if (event.type === 'done') {
            const a = event.result.answer;
            w.sendRaw(JSON.stringify({ ...chunk(id, t, RAG_MODEL, {}, 'stop'), plumb: { traceId: event.result.traceId, citations: a.citations, abstained: a.abstained } }));
            if (includeUsage) w.sendRaw(JSON.stringify({ ...chunk(id, t, RAG_MODEL, null, null), usage: openAIUsage(a.usage) }));
          }
        }
        opening();
        w.sendRaw('[DONE]');
      },
    };
  }

  const modelName = body.model === CHAT_MODEL ? undefined : body.model;
  if (modelName !== undefined && !ctx.plumb.modelFor(modelName)) {
    throw new PlumbError('not_found', `unknown model "${body.model}"`, { hint: `use "${RAG_MODEL}" (answers from your documents), "${CHAT_MODEL}" (the configured chat model) or a gateway alias; GET /v1/models lists them` });
  }
  const request: ChatRequest = { ...toChatRequest(body, messages, signal), ...caller };
  const model = modelName ?? ctx.plumb.chatModel.modelId;
  const target = { tenantId, ...(modelName !== undefined ? { model: modelName } : {}) };
  if (!body.stream) {
    const r = await ctx.plumb.chat(request, target);
    const message = { role: 'assistant', content: r.toolCalls.length && !r.text ? null : r.text, refusal: null, ...(r.toolCalls.length ? { tool_calls: r.toolCalls.map(openAIToolCall) } : {}) };
    return { kind: 'json', headers: responseHeaders(r.provider, r.cost.usd, r.metadata), body: completion(id, created(), model, message, r.finishReason, r.usage) };
  }
  return {
    kind: 'stream',
    produce: async (w) => {
      const t = created();
      const opening = roleChunkOnce(w, id, t, model);
      for await (const event of ctx.plumb.chatStream(request, target)) {
        opening();
        if (event.type === 'text-delta') w.sendRaw(JSON.stringify(chunk(id, t, model, { content: event.text }, null)));
        else if (event.type === 'tool-call-delta') {
          const call = { index: event.index, ...(event.id ? { id: event.id, type: 'function' } : {}), function: { ...(event.name ? { name: event.name } : {}), arguments: event.argumentsDelta } };
          w.sendRaw(JSON.stringify(chunk(id, t, model, { tool_calls: [call] }, null)));
        } else {
          // Headers are gone once a stream starts: the gateway's account rides on the last chunk.
          const plumb = { provider: event.provider, costUsd: event.cost.usd, ...(event.metadata ?? {}) };
          w.sendRaw(JSON.stringify({ ...chunk(id, t, model, {}, openAIFinish(event.finishReason)), plumb }));
          if (includeUsage) w.sendRaw(JSON.stringify({ ...chunk(id, t, model, null, null), usage: openAIUsage(event.usage) }));
        }
      }
      opening();
      w.sendRaw('[DONE]');
    },
  };
}

/**
 * OpenAI's first chunk (the assistant role, empty content), sent with the answer's first event
 * instead of ahead of it: until a stream's first event nothing is sent, so a failure before the
 * first token (a budget, a rate limit, every upstream down) is answered with an HTTP error status
 * and `Retry-After` (sse.ts), and the upstream request does not wait behind a write.
 */
function roleChunkOnce(w: SseWriter, id: string, t: number, model: string): () => void {
  let sent = false;
  return () => {
    if (sent) return;
    sent = true;
    w.sendRaw(JSON.stringify(chunk(id, t, model, { role: 'assistant', content: '' }, null)));
  };
}

/** A failure inside a stream: OpenAI clients surface an `error` object in a data line as an API error. */
export function chatStreamError(error: unknown, w: SseWriter): void {
  w.sendRaw(JSON.stringify(toPlumbError(error).toJSON()));
}

function textOf(content: ChatCompletionBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

function toMessages(body: ChatCompletionBody): Message[] {
  return body.messages.map((m) => {
    const role = m.role === 'developer' ? 'system' : m.role;
    const message: Message = { role, content: textOf(m.content) };
    // Anthropic-style cache_control on a content part marks a cacheable prefix (prompt caching).
    if (Array.isArray(m.content) && m.content.some((part) => (part as { cache_control?: unknown }).cache_control)) message.cacheBreakpoint = true;
    if (m.tool_call_id) message.toolCallId = m.tool_call_id;
    if (m.name) message.name = m.name;
    if (m.tool_calls) message.toolCalls = m.tool_calls.map((t) => ({ id: t.id, name: t.function.name, arguments: t.function.arguments }));
    return message;
  });
}

function toChatRequest(body: ChatCompletionBody, messages: Message[], signal: AbortSignal): ChatRequest {
  const request: ChatRequest = { messages, signal };
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (typeof max === 'number') request.maxOutputTokens = max;
  if (body.stop) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.tools) request.tools = body.tools.map((t) => ({ name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), parameters: (t.function.parameters ?? { type: 'object', properties: {} }) as JsonObject }));
  const choice = body.tool_choice;
  if (choice === 'auto' || choice === 'none' || choice === 'required') request.toolChoice = choice;
  else if (choice && typeof choice === 'object' && 'function' in choice) request.toolChoice = { name: String((choice as { function: { name: string } }).function.name) };
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  if (typeof body.top_p === 'number') request.topP = body.top_p;
  if (typeof body.seed === 'number') request.seed = body.seed;
  if (typeof body.frequency_penalty === 'number') request.frequencyPenalty = body.frequency_penalty;
  if (typeof body.presence_penalty === 'number') request.presencePenalty = body.presence_penalty;
  if (body.response_format) request.responseFormat = toResponseFormat(body.response_format);
  if (body.reasoning_effort) request.reasoningEffort = body.reasoning_effort;
  if (body.user) request.endUser = body.user;
  return request;
}

function toResponseFormat(format: NonNullable<ChatCompletionBody['response_format']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, description, schema, strict } = format.json_schema;
  return { type: 'json_schema', name, ...(description === undefined ? {} : { description }), ...(schema === undefined ? {} : { schema: schema as JsonObject }), ...(typeof strict === 'boolean' ? { strict } : {}) };
}
