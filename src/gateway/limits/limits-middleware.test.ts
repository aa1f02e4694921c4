import { afterEach, describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { ChatModel, ChatRequest } from '../../core/model.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { OpenAIWireServer, OpenAIWireScript } from '../../providers/testing/index.ts';
import { composeChat } from '../middleware.ts';
import { createRateLimitMiddleware } from './limits-middleware.ts';
import type { RateLimitMiddlewareOptions } from './limits-middleware.ts';
import { MemoryCounterStore } from './memory-counter-store.ts';
import { openTestRedisCounters, testPrefix } from './redis-test-counters.ts';
import { estimateInputTokens } from './request-estimate.ts';
import { collectEvents as collect } from '../../providers/testing/stream-events.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello there' }], maxOutputTokens: 20 };
const answer = (text = 'Hi.'): OpenAIWireScript => () => ({ type: 'chat', text, usage: { prompt_tokens: 10, completion_tokens: 2 } });

function clock(start = Date.UTC(2025, 5, 1, 12)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function limited(script: OpenAIWireScript, options: Omit<RateLimitMiddlewareOptions, 'defaultTenant'> & { defaultTenant?: string }): Promise<ChatModel> {
  server = await startOpenAIWireServer(script);
  const provider = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini', providerName: 'wire' });
  return composeChat(provider, createRateLimitMiddleware({ defaultTenant: 'default', ...options }));
}

async function failure(promise: Promise<unknown>): Promise<PlumbError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlumbError);
  return err as PlumbError;
}


describe('rate limit middleware', () => {
  it('answers 429 over a tenant rpm, with Retry-After from when a request frees up', async () => {
    const time = clock();
    const model = await limited(answer(), { counters: new MemoryCounterStore(), tenants: { acme: { rpm: 2 } }, now: time.now });
    const acme = { ...hello, tenantId: 'acme' };
    const first = await model.generate(acme);
    expect(first.metadata).toMatchObject({ rateLimitRemainingRequests: 1 });
    await model.generate(acme);
    const err = await failure(model.generate(acme));
    // 2 per minute refills one request every 30 s.
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 30, details: { reason: 'rate_limit', scope: 'tenant', name: 'acme', limit: 'rpm' } });
    expect(server?.requests).toHaveLength(2);
    time.advance(20_000);
    expect((await failure(model.generate(acme))).retryAfterSeconds).toBe(10);
    time.advance(10_000);
    await expect(model.generate(acme)).resolves.toMatchObject({ text: 'Hi.' });
    // Another tenant has no limit ("*" not configured), so it is never blocked.
    await expect(model.generate({ ...hello, tenantId: 'other' })).resolves.toMatchObject({ text: 'Hi.' });
  });

  it('applies "*" to tenants without their own entry, and the default tenant to requests without one', async () => {
    const model = await limited(answer(), { counters: new MemoryCounterStore(), tenants: { '*': { rpm: 1 } }, defaultTenant: 'house', now: clock().now });
    await model.generate(hello);
    expect((await failure(model.generate(hello))).details).toMatchObject({ name: 'house' });
    await expect(model.generate({ ...hello, tenantId: 'house' })).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(model.generate({ ...hello, tenantId: 'b' })).resolves.toMatchObject({ text: 'Hi.' });
  });

  it('reserves worst-case tokens per provider, then settles to the real usage', async () => {
    const time = clock();
    const model = await limited(answer(), { counters: new MemoryCounterStore(), providers: { wire: { tpm: 100 } }, now: time.now });
    const worst = estimateInputTokens(hello) + 20;
    const response = await model.generate({ ...hello, maxOutputTokens: 20 });
    expect(response.metadata).toMatchObject({ rateLimitRemainingTokens: 100 - 12 });
    // A request whose worst case does not fit waits for the bucket to refill what is missing.
    const big = { ...hello, maxOutputTokens: 100 - 12 - estimateInputTokens(hello) + 6 };
    const err = await failure(model.generate(big));
    expect(err.details).toMatchObject({ scope: 'provider', name: 'wire', limit: 'tpm' });
    expect(err.retryAfterSeconds).toBe(Math.ceil((6 * 60) / 100)); // 6 tokens at 100/min
    expect(worst).toBeLessThanOrEqual(100);
  });

  it('refuses, without Retry-After, a request larger than the whole tpm limit', async () => {
    const model = await limited(answer(), { counters: new MemoryCounterStore(), providers: { wire: { tpm: 50 } }, now: clock().now });
    const err = await failure(model.generate({ ...hello, maxOutputTokens: 100 }));
    expect(err).toMatchObject({ code: 'rate_limited', retryable: false, retryAfterSeconds: undefined });
    expect(err.hint).toMatch(/maxOutputTokens/);
    expect(server?.requests).toHaveLength(0);
  });

  it('gives the tokens of a failed call back but keeps its request', async () => {
    const counters = new MemoryCounterStore();
    const time = clock();
    const model = await limited(() => ({ type: 'error', status: 500, message: 'boom', errorType: 'server_error' }), {
      counters,
      tenants: { t: { rpm: 5, tpm: 1000 } },
      now: time.now,
    });
    await expect(model.generate({ ...hello, tenantId: 't' })).rejects.toMatchObject({ code: 'upstream_error' });
    const left = await counters.peek(
      [
        { kind: 'bucket', key: 'rl:tenant:t:rpm', limit: 5, periodMs: 60_000 },
        { kind: 'bucket', key: 'rl:tenant:t:tpm', limit: 1000, periodMs: 60_000 },
      ],
      time.now(),
    );
    expect(left).toEqual([4, 1000]);
  });

  it('streams: reserves before the first byte, settles on finish and reports in its metadata', async () => {
    const model = await limited(answer('one two three'), { counters: new MemoryCounterStore(), tenants: { s: { rpm: 10, tpm: 1000 } }, now: clock().now });
    const events = await collect(model.stream({ ...hello, tenantId: 's' }));
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', metadata: { rateLimitRemainingRequests: 9, rateLimitRemainingTokens: 1000 - 12 } });
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e.type === 'text-delta' ? e.text : '')).join('')).toBe('one two three');
  });

  it('a stream cut midway settles the input and the output seen so far', async () => {
    const counters = new MemoryCounterStore();
    const time = clock();
    const model = await limited(() => ({ type: 'chat', text: 'alpha beta gamma delta', cutAfter: 3 }), { counters, tenants: { s: { tpm: 1000 } }, now: time.now });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const event of model.stream({ ...hello, tenantId: 's' })) if (event.type === 'text-delta') seen.push(event.text);
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_error' });
    expect(seen.length).toBeGreaterThan(0);
    const [left] = await counters.peek([{ kind: 'bucket', key: 'rl:tenant:s:tpm', limit: 1000, periodMs: 60_000 }], time.now());
    expect(left).toBe(1000 - estimateInputTokens(hello) - getTokenizer().count(seen.join('')));
  });

  it('shares limits between two replicas on one Redis', async () => {
    const prefix = testPrefix();
    const [a, b] = await Promise.all([openTestRedisCounters(prefix), openTestRedisCounters(prefix)]);
    try {
      server = await startOpenAIWireServer(answer());
      const provider = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini', providerName: 'wire' });
      const time = clock();
      const options = { defaultTenant: 'd', providers: { wire: { rpm: 6 } }, now: time.now };
      const replicas = [composeChat(provider, createRateLimitMiddleware({ ...options, counters: a })), composeChat(provider, createRateLimitMiddleware({ ...options, counters: b }))];
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => replicas[i % 2]!.generate(hello)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
      expect(server.requests).toHaveLength(6);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 10 });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
