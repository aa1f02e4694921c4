// The cache middleware around a real OpenAI-compatible provider talking to the local wire server;
// one test runs on the real Redis at 127.0.0.1:6379 under a unique key prefix.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest, ChatStreamEvent } from '../../core/model.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer, type OpenAIWireServer } from '../../providers/testing/index.ts';
import { composeChat } from '../middleware.ts';
import { createCacheLayer, type CacheMiddlewareOptions } from './cache-middleware.ts';
import { createMemoryCacheBackend } from './memory-backend.ts';
import { createRedisCacheBackend } from './redis-backend.ts';

let server: OpenAIWireServer | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const close of closers.splice(0)) await close();
});

// Answers each request with "answer #n" so a test can tell which call produced a response.
async function setup(options: Partial<CacheMiddlewareOptions> = {}) {
  server = await startOpenAIWireServer((_request, i) => ({ type: 'chat', text: `answer number ${i + 1}`, usage: { prompt_tokens: 10, completion_tokens: 3 } }));
  const backend = options.backend ?? createMemoryCacheBackend();
  closers.push(() => backend.close());
  const layer = createCacheLayer({ ...options, backend });
  const provider = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini' });
  return { layer, model: composeChat(provider, layer.middleware), server };
}

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content }], ...extra });

async function collect(model: ChatModel, request: ChatRequest): Promise<{ text: string; finish: Extract<ChatStreamEvent, { type: 'finish' }> | undefined }> {
  let text = '';
  let finish: Extract<ChatStreamEvent, { type: 'finish' }> | undefined;
  for await (const e of model.stream(request)) {
    if (e.type === 'text-delta') text += e.text;
    if (e.type === 'finish') finish = e;
  }
  return { text, finish };
}

describe('exact cache middleware', () => {
  it('serves a repeated request from the cache at zero cost, scoped by tenant', async () => {
    const { model, server, layer } = await setup();
    const first = await model.generate(ask('What is plumb?', { tenantId: 'acme' }));
    const again = await model.generate(ask('  What is plumb?', { tenantId: 'acme', tags: ['other-tag'] }));
    const otherTenant = await model.generate(ask('What is plumb?', { tenantId: 'globex' }));

    expect(first.metadata).toMatchObject({ cache: 'miss' });
    expect(first.cost.usd).toBeGreaterThan(0);
    expect(again).toMatchObject({ text: 'answer number 1', usage: { inputTokens: 0, outputTokens: 0 }, cost: { usd: 0 }, metadata: { cache: 'exact', cache_saved_tokens: 13 } });
    expect(again.metadata?.['cache_saved_usd']).toBeCloseTo(first.cost.usd, 12);
    expect(otherTenant.text).toBe('answer number 2');
    expect(server.requests).toHaveLength(2);
    expect(layer.stats.forTenant('acme')).toMatchObject({ exactHits: 1, exactMisses: 1, stores: 1 });
  });

  it('never caches a sampled request (temperature above 0)', async () => {
    const { model, server, layer } = await setup();
    await model.generate(ask('Write a poem', { temperature: 0.8 }));
    const second = await model.generate(ask('Write a poem', { temperature: 0.8 }));
    expect(second.text).toBe('answer number 2');
    expect(server.requests).toHaveLength(2);
    expect(layer.stats.forTenant('default').bypassed).toBe(2);
  });

  it('stores a finished stream and replays it as a stream; a generate call then hits too', async () => {
    const { model, server } = await setup();
    const live = await collect(model, ask('Stream me'));
    const replayed = await collect(model, ask('Stream me'));
    const generated = await model.generate(ask('Stream me'));
    expect(live).toMatchObject({ text: 'answer number 1', finish: { metadata: { cache: 'miss' } } });
    expect(replayed.text).toBe('answer number 1');
    expect(replayed.finish).toMatchObject({ finishReason: 'stop', cost: { usd: 0 }, usage: { inputTokens: 0, outputTokens: 0 }, metadata: { cache: 'exact' } });
    expect(generated.metadata?.['cache']).toBe('exact');
    expect(server.requests).toHaveLength(1);
  });

  it('never stores a stream cut midway', async () => {
    server = await startOpenAIWireServer((_r, i) => (i === 0 ? { type: 'chat', text: 'a long answer cut short', cutAfter: 2 } : { type: 'chat', text: 'complete answer' }));
    const backend = createMemoryCacheBackend();
    const model = composeChat(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', timeoutMs: 2000 }), createCacheLayer({ backend }).middleware);
    await expect(collect(model, ask('Cut me'))).rejects.toThrow();
    expect((await collect(model, ask('Cut me'))).text).toBe('complete answer');
    expect((await collect(model, ask('Cut me'))).finish?.metadata?.['cache']).toBe('exact');
    expect(server.requests).toHaveLength(2);
  });

  it('drops RAG answers when a document behind them changes', async () => {
    const { model, layer, server } = await setup();
    const rag = ask('What port?', { passages: [{ n: 1, chunkId: 'c1', documentId: 'doc-7', text: 'The port is 8787.' }] });
    await model.generate(rag);
    expect((await model.generate(rag)).metadata?.['cache']).toBe('exact');
    expect(await layer.invalidateDocuments('default', ['doc-7'])).toBe(1);
    expect((await model.generate(rag)).text).toBe('answer number 2');
    expect(server.requests).toHaveLength(2);
  });
});

describe('semantic cache middleware', () => {
  it('serves a paraphrase, and not a question about a different number, entity or a negation', async () => {
    const { model, server, layer } = await setup({ semantic: 'on', exact: false });
    await model.generate(ask('How do I reset my password?'));
    const paraphrase = await model.generate(ask('How can I reset my password?'));
    expect(paraphrase).toMatchObject({ text: 'answer number 1', cost: { usd: 0 }, metadata: { cache: 'semantic' } });

    await model.generate(ask('What major events happened in 2002?'));
    expect((await model.generate(ask('What major events happened in 1992?'))).metadata?.['cache']).toBe('miss');
    await model.generate(ask('Is coffee good for health?'));
    expect((await model.generate(ask('Is coffee not good for health?'))).metadata?.['cache']).toBe('miss');
    expect(server.requests).toHaveLength(5);
    expect(layer.stats.forTenant('default')).toMatchObject({ semanticHits: 1, guardVetoes: 2 });
  });

  it('is scoped by prompt template: another system prompt never hits', async () => {
    const { model, server } = await setup({ semantic: 'on', exact: false });
    await model.generate(ask('How do I reset my password?'));
    const other = await model.generate({ messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'How can I reset my password?' }] });
    expect(other.metadata?.['cache']).toBe('miss');
    expect(server.requests).toHaveLength(2);
  });

  it('in shadow mode always calls the model, counting would-be hits and the false ones', async () => {
    const { model, server, layer } = await setup({ semantic: 'shadow', exact: false });
    await model.generate(ask('How do I reset my password?', { tenantId: 't1' }));
    const second = await model.generate(ask('How can I reset my password?', { tenantId: 't1' }));
    expect(second).toMatchObject({ text: 'answer number 2', metadata: { cache: 'miss', cache_shadow: 'hit' } });
    expect(server.requests).toHaveLength(2);
    // "answer number 1" and "answer number 2" differ in text but are close in meaning: acceptable.
    const s = layer.stats.forTenant('t1');
    expect(s).toMatchObject({ shadowHits: 1, shadowJudged: 1, shadowFalseHits: 0, semanticHits: 0 });
  });

  it('counts a shadow false hit when the real answer differs', async () => {
    server = await startOpenAIWireServer((_r, i) => ({ type: 'chat', text: i === 0 ? 'Open Settings, then Security, then Reset.' : 'Bananas are yellow tropical fruit.' }));
    const backend = createMemoryCacheBackend();
    const layer = createCacheLayer({ backend, semantic: 'shadow' });
    const model = composeChat(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }), layer.middleware);
    await model.generate(ask('How do I reset my password?'));
    await model.generate(ask('How can I reset my password?'));
    expect(layer.stats.forTenant('default')).toMatchObject({ shadowHits: 1, shadowJudged: 1, shadowFalseHits: 1 });
  });
});

describe('cache middleware on Redis', () => {
  const prefix = `plumb-test:${randomUUID()}:`;
  const admin = new Redis('redis://127.0.0.1:6379');
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    await admin.quit();
  });

  it('shares hits between two layers (two replicas) and never across tenants', async () => {
    const { model, server } = await setup({ backend: createRedisCacheBackend({ keyPrefix: prefix }), semantic: 'on' });
    const replicaBackend = createRedisCacheBackend({ keyPrefix: prefix });
    closers.push(() => replicaBackend.close());
    const replica = composeChat(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini' }), createCacheLayer({ backend: replicaBackend, semantic: 'on' }).middleware);
    await model.generate(ask('How do I reset my password?', { tenantId: 'a' }));
    expect((await replica.generate(ask('How do I reset my password?', { tenantId: 'a' }))).metadata?.['cache']).toBe('exact');
    expect((await replica.generate(ask('How can I reset my password?', { tenantId: 'a' }))).metadata?.['cache']).toBe('semantic');
    expect((await replica.generate(ask('How can I reset my password?', { tenantId: 'b' }))).text).toBe('answer number 2');
    expect(server.requests).toHaveLength(2);
  });
});
