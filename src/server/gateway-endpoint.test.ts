import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlumbConfigInput } from '../config/schema.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { tempPlumb } from '../testing/temp-plumb.ts';
import { startServer } from './start-server.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function serve(config: PlumbConfigInput, env: NodeJS.ProcessEnv = {}) {
  const { plumb } = await tempPlumb({ embeddings: { provider: 'none' }, ...config }, env);
  closers.push(() => plumb.close());
  const server = await startServer(plumb, { port: 0 });
  closers.push(() => server.close());
  return server;
}

const ask = (url: string, model: string, content: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });

describe('/v1/chat/completions through the gateway', () => {
  it('falls back to the healthy provider behind an alias and says so in headers', async () => {
    const down = await startOpenAIWireServer(() => ({ type: 'error', status: 503, message: 'overloaded', errorType: 'server_error' }));
    const up = await startOpenAIWireServer(() => ({ type: 'chat', text: 'Hello from b.' }));
    closers.push(() => down.close(), () => up.close());
    const provider = (baseUrl: string, apiKeyEnv: string) => ({ type: 'openai-compatible' as const, baseUrl, apiKeyEnv, models: ['m'], retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const server = await serve({
      gateway: {
        providers: { a: provider(down.baseURL, 'PLUMB_TEST_KEY_A'), b: provider(up.baseURL, 'PLUMB_TEST_KEY_B') },
        fallbacks: { main: [{ provider: 'a', model: 'm' }, { provider: 'b', model: 'm' }] },
        aliases: { smart: { fallback: 'main' } },
      },
    }, { PLUMB_TEST_KEY_A: 'sk-a', PLUMB_TEST_KEY_B: 'sk-b' });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('smart');

    const res = await ask(server.url, 'smart', 'hi');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('Hello from b.');
    expect(res.headers.get('x-plumb-provider')).toBe('b');
    expect(res.headers.get('x-plumb-fallback')).toBe('true');
    expect(down.requests.length).toBeGreaterThan(0);
    // The key came from the named environment variable and reached only its own provider.
    expect(up.requests[0]!.headers.authorization).toBe('Bearer sk-b');

    // A stream carries the same account on its last chunk (headers are sent before it is known).
    const streamed = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'stream please' }] }) });
    const lastChunk = (await streamed.text()).split('\n\n').filter((b) => b.startsWith('data: {')).map((b) => JSON.parse(b.slice(6)) as { plumb?: { provider: string; fallback: boolean; traceId?: string } }).filter((c) => c.plumb).at(-1);
    expect(lastChunk?.plumb).toMatchObject({ provider: 'b', fallback: true });

    // Every answer names its trace, which holds the call with its provider and cost.
    const traceId = res.headers.get('x-plumb-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const trace = (await (await fetch(`${server.url}/v1/traces/${traceId}`)).json()) as { name: string; spans: Array<{ attributes: Record<string, unknown> }> };
    expect(trace.name).toBe('chat');
    expect(trace.spans[0]!.attributes['gen_ai.request.model']).toBe('smart');
    expect(lastChunk?.plumb).toHaveProperty('traceId');

    const again = await ask(server.url, 'smart', 'hi');
    expect(again.headers.get('x-plumb-cache')).toBe('exact');
    expect(Number(again.headers.get('x-plumb-cost-usd'))).toBe(0);

    const stats = (await (await fetch(`${server.url}/v1/cache/stats`)).json()) as { exactHits: number; exactMisses: number };
    expect(stats.exactHits).toBe(1);
    expect(stats.exactMisses).toBe(2);

    // One ledger row per request, with the final outcome of each.
    const ledger = (await (await fetch(`${server.url}/v1/ledger`)).json()) as { totals: { requests: number }; entries: Array<{ provider: string; cacheHit: string; status: string }> };
    expect(ledger.totals.requests).toBe(3);
    expect(ledger.entries.map((e) => [e.provider, e.cacheHit, e.status])).toEqual([
      ['b', 'exact', 'ok'],
      ['b', 'none', 'ok'],
      ['b', 'none', 'ok'],
    ]);
  });

  it('moves on to the next provider when one is at its own rate limit', async () => {
    const a = await startOpenAIWireServer(() => ({ type: 'chat', text: 'from a' }));
    const b = await startOpenAIWireServer(() => ({ type: 'chat', text: 'from b' }));
    closers.push(() => a.close(), () => b.close());
    const server = await serve({
      cache: { exact: false },
      gateway: {
        providers: {
          a: { type: 'openai-compatible', baseUrl: a.baseURL, models: ['m'], limits: { rpm: 1 }, retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 50 } },
          b: { type: 'openai-compatible', baseUrl: b.baseURL, models: ['m'] },
        },
        fallbacks: { main: [{ provider: 'a', model: 'm' }, { provider: 'b', model: 'm' }] },
      },
    });
    const first = await ask(server.url, 'main', 'one');
    const second = await ask(server.url, 'main', 'two');
    expect(first.headers.get('x-plumb-provider')).toBe('a');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-plumb-provider')).toBe('b');
    expect(a.requests).toHaveLength(1);
  });

  it('routes easy questions to the cheap model and hard ones to the strong one', async () => {
    const cheap = await startOpenAIWireServer(() => ({ type: 'chat', text: 'cheap answer' }));
    const strong = await startOpenAIWireServer(() => ({ type: 'chat', text: 'strong answer' }));
    closers.push(() => cheap.close(), () => strong.close());
    const server = await serve({
      cache: { exact: false },
      gateway: {
        providers: {
          c: { type: 'openai-compatible', baseUrl: cheap.baseURL, models: ['mini'] },
          s: { type: 'openai-compatible', baseUrl: strong.baseURL, models: ['big'] },
        },
        aliases: { mini: { provider: 'c', model: 'mini' }, big: { provider: 's', model: 'big' } },
      },
      routing: { cheap: 'mini', strong: 'big' },
    });
    const easy = await ask(server.url, 'auto', 'When was the bridge opened?');
    const hard = await ask(server.url, 'auto', 'Why did the bridge design change between 1920 and 1930, and how did the new steel standards and the 1929 crash affect its cost and schedule?');
    expect(easy.headers.get('x-plumb-route')).toBe('mini');
    expect(hard.headers.get('x-plumb-route')).toBe('big');
    expect(cheap.requests).toHaveLength(1);
    expect(strong.requests).toHaveLength(1);
    const ledger = (await (await fetch(`${server.url}/v1/ledger`)).json()) as { entries: Array<{ route: string }> };
    expect(ledger.entries.map((e) => e.route).sort()).toEqual(['big', 'mini']);
  });

  it('takes routing tags from x-plumb-tags (and books them in the ledger), and Cache-Control no-cache / no-store from the caller', async () => {
    const cheap = await startOpenAIWireServer((_request, i) => ({ type: 'chat', text: `cheap answer ${i}` }));
    const strong = await startOpenAIWireServer((_request, i) => ({ type: 'chat', text: `strong answer ${i}` }));
    closers.push(() => cheap.close(), () => strong.close());
    const server = await serve({
      gateway: {
        providers: { c: { type: 'openai-compatible', baseUrl: cheap.baseURL, models: ['mini'] }, s: { type: 'openai-compatible', baseUrl: strong.baseURL, models: ['big'] } },
        aliases: { mini: { provider: 'c', model: 'mini' }, big: { provider: 's', model: 'big' } },
      },
      routing: { cheap: 'mini', strong: 'big', rules: [{ when: { tag: 'judge' }, use: 'big' }] },
    });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    const answer = async (headers: Record<string, string>) => {
      const { data, response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'When was the bridge opened?' }] }, { headers }).withResponse();
      return { text: data.choices[0]!.message.content, route: response.headers.get('x-plumb-route'), cache: response.headers.get('x-plumb-cache') };
    };
    // An easy question goes to the cheap model, unless a tag rule says otherwise.
    expect(await answer({})).toEqual({ text: 'cheap answer 0', route: 'mini', cache: 'miss' });
    expect(await answer({ 'x-plumb-tags': 'batch, judge' })).toMatchObject({ text: 'strong answer 0', route: 'big' });
    const ledger = (await (await fetch(`${server.url}/v1/ledger`)).json()) as { entries: Array<{ route: string; tags: string[] }> };
    expect(ledger.entries.find((e) => e.route === 'big')?.tags).toEqual(['batch', 'judge']);

    // The cache serves a repeat; no-cache asks the model again and stores the fresh answer; no-store leaves the cache alone.
    expect(await answer({})).toMatchObject({ text: 'cheap answer 0', cache: 'exact' });
    expect(await answer({ 'cache-control': 'no-cache' })).toMatchObject({ text: 'cheap answer 1', cache: 'miss' });
    expect(await answer({})).toMatchObject({ text: 'cheap answer 1', cache: 'exact' });
    expect((await answer({ 'cache-control': 'no-store' })).text).toBe('cheap answer 2');
    expect(await answer({})).toMatchObject({ text: 'cheap answer 1', cache: 'exact' });
    expect(cheap.requests).toHaveLength(3);
    const stats = (await (await fetch(`${server.url}/v1/cache/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ refreshed: 1, bypassed: 1, exactHits: 3 });

    const refused = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-plumb-tags': 'good, not a tag!' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((refused as Error).message)).toContain('"not a tag!" is not a tag');
  });

  it('prices the same model by provider: a provider/model price wins over the bare model id', async () => {
    const usage = { prompt_tokens: 1000, completion_tokens: 1000 };
    const a = await startOpenAIWireServer(() => ({ type: 'chat', text: 'from a', usage }));
    const b = await startOpenAIWireServer(() => ({ type: 'chat', text: 'from b', usage }));
    closers.push(() => a.close(), () => b.close());
    const server = await serve({
      cache: { exact: false },
      gateway: {
        providers: { a: { type: 'openai-compatible', baseUrl: a.baseURL, models: ['m'] }, b: { type: 'openai-compatible', baseUrl: b.baseURL, models: ['m'] } },
        aliases: { fast: { provider: 'a', model: 'm' } },
        prices: { 'a/m': { inputPerMTok: 1, outputPerMTok: 1 }, m: { inputPerMTok: 10, outputPerMTok: 10 } },
      },
    });
    const viaA = await ask(server.url, 'fast', 'hello');
    const viaB = await ask(server.url, 'b/m', 'hello');
    expect(Number(viaA.headers.get('x-plumb-cost-usd'))).toBeCloseTo(0.002, 9);
    expect(Number(viaB.headers.get('x-plumb-cost-usd'))).toBeCloseTo(0.02, 9);
    // One row each, priced by the provider that answered, under the name the caller used.
    const ledger = (await (await fetch(`${server.url}/v1/ledger`)).json()) as { entries: Array<{ route: string; provider: string; model: string; costNanoUsd: number }> };
    expect(ledger.entries.map(({ route, provider, model, costNanoUsd }) => ({ route, provider, model, costNanoUsd })).sort((x, y) => x.provider.localeCompare(y.provider))).toEqual([
      { route: 'fast', provider: 'a', model: 'm', costNanoUsd: 2_000_000 },
      { route: 'b/m', provider: 'b', model: 'm', costNanoUsd: 20_000_000 },
    ]);
  });

  it('reserves a money budget at the dearest model a fallback chain may call', async () => {
    const up = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok' }));
    closers.push(() => up.close());
    const server = await serve({
      cache: { exact: false },
      gateway: {
        providers: { p: { type: 'openai-compatible', baseUrl: up.baseURL, models: ['cheap-m', 'dear-m'] } },
        fallbacks: { main: [{ provider: 'p', model: 'cheap-m' }, { provider: 'p', model: 'dear-m' }] },
        prices: { 'cheap-m': { inputPerMTok: 0.1, outputPerMTok: 0.1 }, 'dear-m': { inputPerMTok: 100, outputPerMTok: 100 } },
      },
      // Worst case at the dear price: (~10 input + 100 output tokens) x $100/M ≈ $0.011 > $0.005;
      // at the cheap price it would fit, and priced by the chain's name ($0) anything would.
      budgets: { tenants: { '*': { usd: { daily: 0.005 }, mode: 'hard' } }, defaultMaxOutputTokens: 100 },
    });
    const res = await ask(server.url, 'main', 'hello');
    expect(res.status).toBe(429);
    expect(up.requests).toHaveLength(0);
  });

  it('refuses a tenant over its hard token budget with 429 and Retry-After', async () => {
    const llm = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok', usage: { prompt_tokens: 40, completion_tokens: 10 } }));
    closers.push(() => llm.close());
    const server = await serve({
      answer: { provider: 'openai-compatible', baseUrl: llm.baseURL, model: 'gpt-4o-mini' },
      cache: { exact: false },
      budgets: { tenants: { '*': { tokens: { daily: 300 }, mode: 'hard' } }, defaultMaxOutputTokens: 50 },
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await ask(server.url, 'plumb-chat', `question number ${i}`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The ledger booked exactly the answered requests, and its totals are the sum of its rows.
    const ledger = (await (await fetch(`${server.url}/v1/ledger?limit=1000`)).json()) as { totals: { requests: number; inputTokens: number; outputTokens: number }; entries: Array<{ inputTokens: number; outputTokens: number; status: string }> };
    const ok = ledger.entries.filter((e) => e.status === 'ok');
    expect(ok.length).toBe(statuses.filter((s) => s === 200).length);
    expect(ledger.totals.inputTokens).toBe(ledger.entries.reduce((sum, e) => sum + e.inputTokens, 0));
    expect(ledger.totals.outputTokens).toBe(ledger.entries.reduce((sum, e) => sum + e.outputTokens, 0));
  });

  it('passes response_format, seed, top_p, penalties, reasoning_effort and user to the provider, keys the exact cache by them, and refuses with a reason what it would otherwise drop (n > 1, logprobs, images, legacy functions)', async () => {
    const llm = await startOpenAIWireServer((_request, i) => ({ type: 'chat', text: `{"primes":[2,3,5],"call":${i}}` }));
    closers.push(() => llm.close());
    const server = await serve({ gateway: { providers: { up: { type: 'openai-compatible', baseUrl: llm.baseURL, models: ['m'] } }, aliases: { smart: { provider: 'up', model: 'm' } } } });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'Three primes, as JSON.' }];
    const format = { type: 'json_schema' as const, json_schema: { name: 'primes', strict: true, schema: { type: 'object', properties: { primes: { type: 'array', items: { type: 'integer' } } }, required: ['primes'], additionalProperties: false } } };
    const structured = await client.chat.completions.create({ model: 'smart', messages, response_format: format, seed: 7, top_p: 0.5, frequency_penalty: 0.1, presence_penalty: 0.2, reasoning_effort: 'low', user: 'end-user-1' });
    expect(JSON.parse(structured.choices[0]!.message.content!)).toEqual({ primes: [2, 3, 5], call: 0 });
    expect(llm.requests[0]!.body).toMatchObject({ response_format: format, seed: 7, top_p: 0.5, frequency_penalty: 0.1, presence_penalty: 0.2, reasoning_effort: 'low', user: 'end-user-1' });

    // The same question without the format is another answer, not the JSON one from the cache;
    // the same request again is served from it.
    const plain = await client.chat.completions.create({ model: 'smart', messages });
    expect(plain.choices[0]!.message.content).toContain('"call":1');
    expect(llm.requests[1]!.body).not.toHaveProperty('response_format');
    const again = await client.chat.completions.create({ model: 'smart', messages, response_format: format, seed: 7, top_p: 0.5, frequency_penalty: 0.1, presence_penalty: 0.2, reasoning_effort: 'low', user: 'end-user-1' }).withResponse();
    expect(again.response.headers.get('x-plumb-cache')).toBe('exact');
    expect(again.data.choices[0]!.message.content).toContain('"call":0');
    expect(llm.requests).toHaveLength(2);

    const withImage = { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }] };
    const legacyFunctions = { functions: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }] };
    for (const [extra, reason] of [[{ n: 2 }, 'n must be 1'], [{ logprobs: true }, 'logprobs'], [{ modalities: ['text', 'audio'] }, 'text only'], [withImage, 'passes text only'], [legacyFunctions, 'deprecated form of "tools"']] as const) {
      const refused = await client.chat.completions.create({ model: 'smart', messages, ...extra } as never).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect(String((refused as Error).message)).toContain(reason);
    }
    expect(llm.requests).toHaveLength(2);
  });

  it('answers a stream that fails before its first token with an HTTP error the official client raises: 429 with Retry-After, 502 when every provider is down, as without streaming', async () => {
    const llm = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok', usage: { prompt_tokens: 40, completion_tokens: 10 } }));
    const down = await startOpenAIWireServer(() => ({ type: 'error', status: 503, message: 'overloaded', errorType: 'server_error' }));
    closers.push(() => llm.close(), () => down.close());
    const server = await serve({
      gateway: {
        providers: {
          up: { type: 'openai-compatible', baseUrl: llm.baseURL, models: ['m'] },
          down: { type: 'openai-compatible', baseUrl: down.baseURL, models: ['m'], retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } },
        },
        aliases: { smart: { provider: 'up', model: 'm' }, broken: { provider: 'down', model: 'm' } },
      },
      cache: { exact: false },
      budgets: { tenants: { acme: { tokens: { daily: 300 }, mode: 'hard' } }, defaultMaxOutputTokens: 50 },
    });
    const acme = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0, defaultHeaders: { 'x-plumb-tenant': 'acme' } });
    const streamText = async (model: string, content: string, client = acme) => {
      let text = '';
      for await (const chunk of await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content }] })) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    expect(await streamText('smart', 'first question')).toBe('ok');
    let refused: unknown;
    for (let i = 0; i < 8 && !refused; i++) await streamText('smart', `question number ${i}`).catch((error: unknown) => (refused = error));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    expect(Number((refused as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(0);

    const anyone = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    const failed = await streamText('broken', 'anyone there?', anyone).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect(String((failed as Error).message)).toContain('overloaded');
    // The same status as the same failure without streaming.
    expect((await ask(server.url, 'broken', 'anyone there?')).status).toBe(502);
    expect(down.requests.length).toBe(2);
  });

  it('serves a paraphrase from the semantic cache (USE-lite verifier), with its headers and stats, and not a changed question word', async () => {
    const upstream = await startOpenAIWireServer((_request, i) => ({ type: 'chat', text: `answer number ${i + 1}` }));
    closers.push(() => upstream.close());
    const server = await serve({
      gateway: { providers: { up: { type: 'openai-compatible', baseUrl: upstream.baseURL, apiKeyEnv: 'PLUMB_TEST_KEY', models: ['m'] } }, aliases: { smart: { provider: 'up', model: 'm' } } },
      cache: { exact: true, semantic: 'on' },
    }, { PLUMB_TEST_KEY: 'sk-test' });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    const chat = (content: string) => client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content }] }).withResponse();

    const first = await chat('How do I reset my password?');
    expect(first.response.headers.get('x-plumb-cache')).toBe('miss');
    const paraphrase = await chat('How can I reset my password?');
    expect(paraphrase.response.headers.get('x-plumb-cache')).toBe('semantic');
    expect(paraphrase.data.choices[0]!.message.content).toBe('answer number 1');
    expect(Number(paraphrase.response.headers.get('x-plumb-cost-usd'))).toBe(0);
    const why = await chat('Why do I reset my password?');
    expect(why.response.headers.get('x-plumb-cache')).toBe('miss');
    expect(upstream.requests).toHaveLength(2);

    const stats = (await (await fetch(`${server.url}/v1/cache/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ semanticHits: 1, encoder: 'use-lite', encoderSkips: 0, guardVetoes: 1 });
  });

});
