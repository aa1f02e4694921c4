// plumb's gateway path as it stands: the ledger middleware (booking every request into a real
// SQLite store) around the OpenAI-compatible provider pointed at the stub, served by a minimal
// Hono endpoint on @hono/node-server. The lead swaps this for plumb's real /v1/chat/completions.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ChatRequest, ChatResponse, ChatStreamEvent, Message } from '../../../src/core/model.ts';
import { ledgerMiddleware } from '../../../src/gateway/ledger/index.ts';
import { composeChat } from '../../../src/gateway/middleware.ts';
import { createOpenAICompatibleChat } from '../../../src/providers/openai-compatible/index.ts';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';

const upstream = process.env['STUB_URL'];
if (!upstream) throw new Error('STUB_URL is not set');

const dir = mkdtempSync(join(tmpdir(), 'plumb-gw-bench-'));
const store = SqliteStore.open({ path: join(dir, 'plumb.db') });
const model = composeChat(
  createOpenAICompatibleChat({ baseURL: upstream, model: 'gpt-4o-mini', providerName: 'stub', apiKey: 'sk-bench' }),
  ledgerMiddleware({ store }),
);

interface OpenAIBody {
  model?: string;
  messages?: Array<{ role: Message['role']; content: string }>;
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
}

const app = new Hono();
app.post('/v1/chat/completions', async (c) => {
  const body = (await c.req.json()) as OpenAIBody;
  const request: ChatRequest = {
    messages: (body.messages ?? []).map((m) => ({ role: m.role, content: m.content })),
    tenantId: 'bench',
    ...(body.model === undefined ? {} : { model: body.model }),
    ...(body.max_tokens === undefined ? {} : { maxOutputTokens: body.max_tokens }),
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
  };
  if (body.stream) {
    return new Response(sse(model.stream(request)), { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  }
  return c.json(completion(await model.generate(request)));
});
app.get('/ledger', async (c) => c.json(await store.ledgerTotals('bench')));

function completion(r: ChatResponse): unknown {
  return {
    id: 'chatcmpl-plumb',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: r.model,
    choices: [{ index: 0, message: { role: 'assistant', content: r.text }, finish_reason: r.finishReason }],
    usage: usageOf(r.usage),
  };
}

function usageOf(u: ChatResponse['usage']): unknown {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  };
}

/** Our stream events as OpenAI `chat.completion.chunk` SSE, each written as soon as it arrives. */
function sse(events: AsyncIterable<ChatStreamEvent>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  const chunk = (choices: unknown[], extra: object = {}) =>
    encoder.encode(`data: ${JSON.stringify({ id: 'chatcmpl-plumb', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'gpt-4o-mini', choices, ...extra })}\n\n`);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
          return;
        }
        const event = next.value;
        if (event.type === 'text-delta') controller.enqueue(chunk([{ index: 0, delta: { content: event.text }, finish_reason: null }]));
        else if (event.type === 'finish') {
          controller.enqueue(chunk([{ index: 0, delta: {}, finish_reason: event.finishReason }]));
          controller.enqueue(chunk([], { usage: usageOf(event.usage) }));
        }
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => process.send?.({ type: 'ready', port: info.port }));
process.on('disconnect', () => {
  server.close();
  void store.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
