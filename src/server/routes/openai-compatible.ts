/**
 * OpenAI-compatible endpoints, so any OpenAI client or SDK can use plumb:
 * `plumb-rag` answers from the tenant's documents (citations in an extra `plumb` field);
 * `plumb-chat` (or the configured model's id) goes straight to the configured chat model,
 * tool calls included.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import { PlumbError, toPlumbError } from '../../core/errors.ts';
import type { ChatRequest, FinishReason, Message, ToolCall } from '../../core/model.ts';
import type { JsonObject } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import { randomHex } from '../../observe/random-id.ts';
import { readJson } from '../errors.ts';
import { chatCompletionBodySchema, embeddingsBodySchema } from '../http-schemas.ts';
import type { ServerContext, ServerEnv } from '../server-env.ts';
import { sseResponse, type SseWriter } from '../sse.ts';

export const RAG_MODEL = 'plumb-rag';
export const CHAT_MODEL = 'plumb-chat';
export const EMBED_MODEL = 'plumb-embed';

type ChatBody = z.infer<typeof chatCompletionBodySchema>;

export function openAICompatibleRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const created = () => Math.floor(Date.now() / 1000);

  app.get('/models', (c) => {
    const routing = ctx.plumb.config.routing;
    const gatewayNames = [
      ...Object.keys(ctx.plumb.config.gateway.aliases),
      ...Object.keys(ctx.plumb.config.gateway.fallbacks),
      ...(routing ? [routing.name ?? 'auto'] : []),
      ...Object.keys(ctx.plumb.config.gateway.embeddingAliases),
    ];
    const ids = [RAG_MODEL, CHAT_MODEL, ctx.plumb.chatModel.modelId, ...gatewayNames, ...(ctx.plumb.embedder ? [EMBED_MODEL, ctx.plumb.embedder.modelId] : [])];
    return c.json({ object: 'list', data: [...new Set(ids)].map((id) => ({ id, object: 'model', created: 0, owned_by: 'plumb' })) });
  });

  app.post('/chat/completions', async (c) => {
    const body = await readJson(c, chatCompletionBodySchema);
    const tenantId = c.get('tenantId');
    const id = `chatcmpl-${randomHex(12)}`;
    const messages = toMessages(body);
    const includeUsage = body.stream_options?.include_usage === true;

    if (body.model === RAG_MODEL) {
      const last = messages.at(-1);
      if (!last || last.role !== 'user' || !last.content.trim()) throw new PlumbError('bad_request', `model ${RAG_MODEL} needs the last message to be a non-empty user message (the question)`);
      const history = messages.slice(0, -1).filter((m) => m.role !== 'tool');
      const options = { tenantId, history, signal: c.req.raw.signal };
      if (!body.stream) {
        const result = await ctx.plumb.ask(last.content, options);
        const a = result.answer;
        c.header('x-plumb-trace-id', result.traceId);
        return c.json({
          ...completion(id, created(), RAG_MODEL, { role: 'assistant', content: a.text, refusal: null }, 'stop', a.usage),
          plumb: { traceId: result.traceId, citations: a.citations, abstained: a.abstained, retrievalMode: result.retrieval.mode },
        });
      }
      return sseResponse(async (w) => {
        const t = created();
        w.sendRaw(JSON.stringify(chunk(id, t, RAG_MODEL, { role: 'assistant', content: '' }, null)));
        for await (const event of ctx.plumb.askStream(last.content, options)) {
          if (event.type === 'delta') w.sendRaw(JSON.stringify(chunk(id, t, RAG_MODEL, { content: event.text }, null)));
          else if (event.type === 'done') {
            const a = event.result.answer;
            w.sendRaw(JSON.stringify({ ...chunk(id, t, RAG_MODEL, {}, 'stop'), plumb: { traceId: event.result.traceId, citations: a.citations, abstained: a.abstained } }));
            if (includeUsage) w.sendRaw(JSON.stringify({ ...chunk(id, t, RAG_MODEL, null, null), usage: openAIUsage(a.usage) }));
          }
        }
        w.sendRaw('[DONE]');
      }, streamError, c);
    }

    // plumb-chat is the configured chat model; any other name is a gateway alias, chain or provider/model.
    const modelName = body.model === CHAT_MODEL ? undefined : body.model;
    if (modelName !== undefined && !ctx.plumb.modelFor(modelName)) {
      throw new PlumbError('not_found', `unknown model "${body.model}"`, { hint: `use "${RAG_MODEL}" (answers from your documents), "${CHAT_MODEL}" (the configured chat model) or a gateway alias; GET /v1/models lists them` });
    }
    const request = toChatRequest(body, messages, c.req.raw.signal);
    const model = modelName ?? ctx.plumb.chatModel.modelId;
    const target = { tenantId, ...(modelName !== undefined ? { model: modelName } : {}) };
    if (!body.stream) {
      const r = await ctx.plumb.chat(request, target);
      for (const [name, value] of Object.entries(responseHeaders(r.provider, r.cost.usd, r.metadata))) c.header(name, value);
      const message = { role: 'assistant', content: r.toolCalls.length && !r.text ? null : r.text, refusal: null, ...(r.toolCalls.length ? { tool_calls: r.toolCalls.map(openAIToolCall) } : {}) };
      return c.json(completion(id, created(), model, message, r.finishReason, r.usage));
    }
    return sseResponse(async (w) => {
      const t = created();
      w.sendRaw(JSON.stringify(chunk(id, t, model, { role: 'assistant', content: '' }, null)));
      for await (const event of ctx.plumb.chatStream(request, target)) {
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
      w.sendRaw('[DONE]');
    }, streamError, c);
  });

  app.post('/embeddings', async (c) => {
    const body = await readJson(c, embeddingsBodySchema);
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const encode = (v: Float32Array) => (body.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v));

    // A gateway embedding alias goes through the gateway: ledger, per-text cache, budgets, fallback.
    const gatewayModel = ctx.plumb.gateway.resolveEmbedding(body.model);
    if (gatewayModel) {
      if (body.dimensions !== undefined && body.dimensions !== gatewayModel.dimensions) {
        throw new PlumbError('bad_request', `"${body.model}" embeds into ${gatewayModel.dimensions} dimensions; it cannot return ${body.dimensions}`, {
          hint: `leave dimensions out, or configure gateway.embeddingAliases.${body.model}.dimensions`,
        });
      }
      const result = await ctx.plumb.embedWith(gatewayModel, inputs, { tenantId: c.get('tenantId'), route: body.model, signal: c.req.raw.signal, purpose: 'document' });
      for (const [name, value] of Object.entries(responseHeaders(gatewayModel.provider, result.cost.usd, result.metadata))) c.header(name, value);
      const data = result.vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v) }));
      const model = typeof result.metadata?.['model'] === 'string' ? result.metadata['model'] : body.model;
      return c.json({ object: 'list', data, model, usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens } });
    }

    const embedder = ctx.plumb.embedder;
    if (embedder && body.model !== EMBED_MODEL && body.model !== embedder.modelId) {
      const aliases = Object.keys(ctx.plumb.config.gateway.embeddingAliases);
      throw new PlumbError('not_found', `unknown embedding model "${body.model}"`, { hint: `use "${EMBED_MODEL}", "${embedder.modelId}"${aliases.length ? ` or a gateway embedding alias (${aliases.join(', ')})` : ''}` });
    }
    if (body.dimensions !== undefined && embedder && body.dimensions !== embedder.dimensions) {
      throw new PlumbError('bad_request', `this embedder has ${embedder.dimensions} dimensions; it cannot return ${body.dimensions}`);
    }
    const result = await ctx.plumb.embed(inputs, { tenantId: c.get('tenantId') });
    const data = result.vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v) }));
    return c.json({ object: 'list', data, model: result.model, usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens } });
  });

  return app;
}

function streamError(error: unknown, w: SseWriter): void {
  // OpenAI clients surface an `error` object in a data line as an API error.
  w.sendRaw(JSON.stringify(toPlumbError(error).toJSON()));
}

function textOf(content: ChatBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

function toMessages(body: ChatBody): Message[] {
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

function toChatRequest(body: ChatBody, messages: Message[], signal: AbortSignal): ChatRequest {
  const request: ChatRequest = { messages, signal };
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (typeof max === 'number') request.maxOutputTokens = max;
  if (body.stop) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.tools) request.tools = body.tools.map((t) => ({ name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), parameters: (t.function.parameters ?? { type: 'object', properties: {} }) as JsonObject }));
  const choice = body.tool_choice;
  if (choice === 'auto' || choice === 'none' || choice === 'required') request.toolChoice = choice;
  else if (choice && typeof choice === 'object' && 'function' in choice) request.toolChoice = { name: String((choice as { function: { name: string } }).function.name) };
  return request;
}

function openAIToolCall(t: ToolCall) {
  return { id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } };
}

function openAIFinish(reason: FinishReason): string {
  return reason === 'error' || reason === 'other' ? 'stop' : reason;
}

function openAIUsage(u: Usage) {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  };
}

function completion(id: string, created: number, model: string, message: object, finish: FinishReason, usage: Usage) {
  return { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: openAIFinish(finish), logprobs: null }], usage: openAIUsage(usage) };
}

function chunk(id: string, created: number, model: string, delta: object | null, finish: string | null) {
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
