import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/config/index.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import type { OpenAIWireServer } from '../providers/testing/index.ts';
import { tempPlumb } from '../testing/temp-plumb.ts';
import { startServer } from './start-server.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const inputsOf = (server: OpenAIWireServer) => server.requests.map((r) => (r.body as { input: string[] }).input);
const provider = (baseUrl: string) => ({ type: 'openai-compatible' as const, baseUrl, models: ['chat-model'], retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });

async function setUp() {
  // The first provider fails its first request with a 500; the second always answers.
  const a = await startOpenAIWireServer((_request, i) => (i === 0 ? { type: 'error', status: 500, message: 'boom', errorType: 'server_error' } : { type: 'embeddings', dimensions: 8 }));
  const b = await startOpenAIWireServer(() => ({ type: 'embeddings', dimensions: 8 }));
  closers.push(() => a.close(), () => b.close());
  const { plumb } = await tempPlumb({
    embeddings: { provider: 'none' },
    gateway: {
      providers: { a: provider(a.baseURL), b: provider(b.baseURL) },
      embeddingAliases: { embed: { dimensions: 8, models: [{ provider: 'a', model: 'emb-1' }, { provider: 'b', model: 'emb-1' }] } },
      // 20,000 nano-dollars per million tokens → 20 nano-dollars per token.
      prices: { 'emb-1': { inputPerMTok: 0.02, outputPerMTok: 0 } },
    },
  });
  closers.push(() => plumb.close());
  const server = await startServer(plumb, { port: 0 });
  closers.push(() => server.close());
  const client = (tenant: string) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0, defaultHeaders: { 'x-plumb-tenant': tenant } });
  return { a, b, plumb, client, url: server.url };
}

describe('/v1/embeddings through the gateway', () => {
  it('falls back on a 500, caches per text and per tenant, and books one ledger row per request', async () => {
    const { a, b, plumb, client, url } = await setUp();
    const acme = client('acme');

    // 1. a answers 500 → b embeds both texts.
    const first = await acme.embeddings.create({ model: 'embed', input: ['alpha', 'beta'] }).withResponse();
    expect(first.data.data.map((d) => d.embedding.length)).toEqual([8, 8]);
    expect(first.response.headers.get('x-plumb-provider')).toBe('b');
    expect(first.response.headers.get('x-plumb-fallback')).toBe('true');
    expect(first.response.headers.get('x-plumb-cache')).toBe('miss');
    expect(first.response.headers.get('x-plumb-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(inputsOf(a)).toEqual([['alpha', 'beta']]);
    expect(inputsOf(b)).toEqual([['alpha', 'beta']]);

    // 2. "alpha" is cached for acme: only "gamma" goes upstream (a is healthy again), vectors in input order.
    const second = await acme.embeddings.create({ model: 'embed', input: ['gamma', 'alpha'] }).withResponse();
    expect(second.response.headers.get('x-plumb-cache')).toBe('partial');
    expect(second.response.headers.get('x-plumb-cached-inputs')).toBe('1');
    expect(second.response.headers.get('x-plumb-provider')).toBe('a');
    expect(inputsOf(a).at(-1)).toEqual(['gamma']);
    expect(second.data.data[1]!.embedding).toEqual(first.data.data[0]!.embedding);
    expect(second.data.data[0]!.embedding).not.toEqual(first.data.data[0]!.embedding);

    // 3. Everything cached: nothing sent, nothing owed.
    const sentBefore = a.requests.length + b.requests.length;
    const third = await acme.embeddings.create({ model: 'embed', input: ['beta', 'alpha', 'beta'] }).withResponse();
    expect(third.response.headers.get('x-plumb-cache')).toBe('exact');
    expect(third.response.headers.get('x-plumb-cached-inputs')).toBe('3');
    expect(Number(third.response.headers.get('x-plumb-cost-usd'))).toBe(0);
    expect(a.requests.length + b.requests.length).toBe(sentBefore);
    expect(third.data.data.map((d) => d.embedding)).toEqual([first.data.data[1]!.embedding, first.data.data[0]!.embedding, first.data.data[1]!.embedding]);

    // 4. Another tenant never sees acme's cache: "alpha" goes upstream again for globex.
    const globex = await client('globex').embeddings.create({ model: 'embed', input: ['alpha'] }).withResponse();
    expect(globex.response.headers.get('x-plumb-cache')).toBe('miss');
    expect(inputsOf(a).at(-1)).toEqual(['alpha']);
    expect(globex.data.data[0]!.embedding).toEqual(first.data.data[0]!.embedding);

    // The ledger: one row per request, tokens as the upstream counted them, priced at 20 nano-dollars a token.
    const rows = await plumb.store.listLedger('acme');
    expect(rows.map((r) => [r.route, r.provider, r.model, r.cacheHit, r.status, r.attempts, r.outputTokens, r.tags])).toEqual([
      ['embed', 'b', 'emb-1', 'none', 'ok', 2, 0, ['embeddings']],
      ['embed', 'a', 'emb-1', 'none', 'ok', 1, 0, ['embeddings']],
      ['embed', 'cache', 'embed', 'exact', 'ok', 1, 0, ['embeddings']],
    ]);
    expect(rows.map((r) => r.inputTokens)).toEqual([first.data.usage.prompt_tokens, second.data.usage.prompt_tokens, 0]);
    expect(rows[0]!.inputTokens).toBeGreaterThan(0);
    expect(rows.map((r) => r.costNanoUsd)).toEqual(rows.map((r) => r.inputTokens * 20));
    expect(rows[0]!.latencyMs).toBeGreaterThan(0);
    expect((await plumb.store.listLedger('globex')).map((r) => r.tenantId)).toEqual(['globex']);

    // Each request is traced, and its ledger row names the trace.
    const traced = await plumb.getTrace(rows[0]!.traceId!, { tenantId: 'acme' });
    expect(traced.name).toBe('embeddings');
    expect(traced.spans.find((span) => span.parentSpanId === null)?.attributes).toMatchObject({ 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'embed', 'gen_ai.usage.input_tokens': rows[0]!.inputTokens });
    // Stored once: the row stands for the trace (store/sqlite/ledger-traces.ts), listed under its own name.
    expect(rows[0]!.id).toBe(rows[0]!.traceId);
    expect(traced.spans[0]!.attributes['plumb.trace.source']).toBe('ledger');
    const listed = await plumb.listTraces({ tenantId: 'acme' });
    expect(listed.filter((t) => t.name === 'embeddings').map((t) => t.traceId).sort()).toEqual(rows.map((r) => r.traceId).sort());

    // The alias is listed, an unknown model is a 404 that names the aliases, and a wrong dimensions a 400.
    expect((await acme.models.list()).data.map((m) => m.id)).toContain('embed');
    const unknown = await fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'nope', input: 'x' }) });
    expect(unknown.status).toBe(400); // no offline embedder configured here: the default path refuses
    await expect(acme.embeddings.create({ model: 'embed', input: 'x', dimensions: 3 })).rejects.toMatchObject({ status: 400 });
  });

  it('fails with the last error when every provider fails, booked once with its attempts', async () => {
    const down = await startOpenAIWireServer(() => ({ type: 'error', status: 503, message: 'overloaded', errorType: 'server_error' }));
    closers.push(() => down.close());
    const { plumb } = await tempPlumb({
      embeddings: { provider: 'none' },
      gateway: {
        providers: { a: provider(down.baseURL), b: provider(down.baseURL) },
        embeddingAliases: { embed: { dimensions: 8, models: [{ provider: 'a', model: 'emb-1' }, { provider: 'b', model: 'emb-1' }] } },
      },
    });
    closers.push(() => plumb.close());
    const model = plumb.gateway.resolveEmbedding('embed')!;
    await expect(model.embed(['x'], { tenantId: 'acme', route: 'embed' })).rejects.toMatchObject({ code: 'upstream_error' });
    expect(down.requests).toHaveLength(2);
    expect((await plumb.store.listLedger('acme')).map((r) => [r.status, r.attempts, r.costNanoUsd])).toEqual([['upstream_error', 2, 0]]);
  });
});

describe('embeddings and budgets', () => {
  it("count against the tenant's budget (cached texts do not), and spent equals the ledger", async () => {
    const up = await startOpenAIWireServer(() => ({ type: 'embeddings', dimensions: 8 }));
    closers.push(() => up.close());
    const { plumb } = await tempPlumb({
      embeddings: { provider: 'none' },
      gateway: {
        providers: { a: provider(up.baseURL) },
        embeddingAliases: { embed: { dimensions: 8, models: [{ provider: 'a', model: 'emb-1' }] } },
        prices: { 'emb-1': { inputPerMTok: 0.02, outputPerMTok: 0 } },
      },
      budgets: { tenants: { acme: { usd: { daily: 1 }, tokens: { daily: 10_000 }, mode: 'hard' } } },
    });
    closers.push(() => plumb.close());
    const model = plumb.gateway.resolveEmbedding('embed')!;
    await model.embed(['one fish', 'two fish'], { tenantId: 'acme', route: 'embed' });
    await model.embed(['two fish', 'red fish blue fish'], { tenantId: 'acme', route: 'embed' });
    const totals = await plumb.store.ledgerTotals('acme');
    const usage = await plumb.gateway.budgetUsage('acme');
    expect(usage.budgets.map((b) => [b.unit, b.spent, b.reserved])).toEqual([
      ['tokens', totals.inputTokens, 0],
      ['usd', totals.costUsd, 0],
    ]);
    expect(totals.costNanoUsd).toBe(totals.inputTokens * 20);
  });
});

describe('gateway.embeddingAliases validation', () => {
  const providers = { openai: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', models: ['gpt-4o-mini'] }, claude: { type: 'anthropic', baseUrl: 'http://127.0.0.1:1', models: ['claude-sonnet-4'] } };
  it.each([
    [{ e: { dimensions: 8, models: [{ provider: 'nope', model: 'm' }] } }, {}, /embeddingAliases\.e\.models\.0\.provider: unknown provider "nope"/],
    [{ e: { dimensions: 8, models: [{ provider: 'claude', model: 'm' }] } }, {}, /provider "claude" is anthropic, which has no embeddings API/],
    [{ smart: { dimensions: 8, models: [{ provider: 'openai', model: 'm' }] } }, { smart: { provider: 'openai', model: 'gpt-4o-mini' } }, /"smart" is already a chat alias/],
    [{ e: { dimensions: 0, models: [{ provider: 'openai', model: 'm' }] } }, {}, /embeddingAliases\.e\.dimensions/],
  ])('refuses %j with an error naming the key', (embeddingAliases, aliases, message) => {
    expect(() => parseGatewayConfig({ providers, aliases, embeddingAliases })).toThrow(message);
  });
});

describe('/v1/embeddings under tenant rate limits', () => {
  it('counts embeddings against the tenant rpm shared with chat, answering 429 with Retry-After', async () => {
    const up = await startOpenAIWireServer((request) => ((request.body as { input?: unknown }).input ? { type: 'embeddings', dimensions: 4 } : { type: 'chat', text: 'ok' }));
    closers.push(() => up.close());
    const { plumb } = await tempPlumb({
      embeddings: { provider: 'none' },
      cache: { exact: false },
      gateway: {
        providers: { up: provider(up.baseURL) },
        aliases: { chat: { provider: 'up', model: 'chat-model' } },
        embeddingAliases: { embed: { dimensions: 4, models: [{ provider: 'up', model: 'emb-1' }] } },
      },
      limits: { tenants: { acme: { rpm: 3 } } },
    });
    closers.push(() => plumb.close());
    const server = await startServer(plumb, { port: 0 });
    closers.push(() => server.close());
    const acme = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0, defaultHeaders: { 'x-plumb-tenant': 'acme' } });
    const globex = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0, defaultHeaders: { 'x-plumb-tenant': 'globex' } });

    await acme.embeddings.create({ model: 'embed', input: ['one'] });
    await acme.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    await acme.embeddings.create({ model: 'embed', input: ['two'] });
    const refused = await acme.embeddings.create({ model: 'embed', input: ['three'] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const headers = (refused as InstanceType<typeof OpenAI.RateLimitError>).headers as unknown as Headers;
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(up.requests).toHaveLength(3);
    // Another tenant has no limit and is not slowed by acme's.
    expect((await globex.embeddings.create({ model: 'embed', input: ['three'] })).data).toHaveLength(1);
  });
});
