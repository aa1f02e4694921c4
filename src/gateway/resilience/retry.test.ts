import { afterEach, describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { createAnthropicChat } from '../../providers/anthropic/index.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startAnthropicWireServer, startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { WireServer } from '../../providers/testing/index.ts';
import { backoffDelayMs, withRetry } from './retry.ts';
import { collectEvents as collect } from '../../providers/testing/stream-events.ts';

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };
const retryFast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 200, random: () => 0 };


describe('backoffDelayMs', () => {
  it('draws full jitter under an exponential, capped ceiling', () => {
    const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, new Error('x'), options))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelayMs(3, new Error('x'), { ...options, random: () => 0 })).toBe(0);
  });
  it('waits at least the Retry-After, even above the jitter', () => {
    const error = new PlumbError('rate_limited', 'slow down', { retryAfterSeconds: 0.3 });
    expect(backoffDelayMs(1, error, { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.99 })).toBe(300);
  });
});

describe('withRetry against the wire servers', () => {
  it('rides out an OpenAI 429 storm, waiting the Retry-After (retry-after-ms) each time', async () => {
    const storm = { type: 'error' as const, status: 429, message: 'Rate limit reached', errorType: 'rate_limit_exceeded', headers: { 'retry-after-ms': '60', 'retry-after': '1' } };
    const server = await startOpenAIWireServer([storm, storm, { type: 'chat', text: 'finally' }]);
    servers.push(server);
    const model = withRetry(retryFast)(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini', providerName: 'a' }));
    const started = performance.now();
    const response = await model.generate(ask);
    const elapsed = performance.now() - started;
    expect(response.text).toBe('finally');
    expect(response.metadata).toMatchObject({ retries: 2 });
    expect(server.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 60 - 5); // two waits of 60 ms (timer granularity allowance)
  });

  it('honours an Anthropic Retry-After in seconds on a 529 overload, streaming', async () => {
    const server = await startAnthropicWireServer([
      { type: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', headers: { 'retry-after': '0.08' } },
      { type: 'message', text: 'streamed fine' },
    ]);
    servers.push(server);
    const model = withRetry(retryFast)(createAnthropicChat({ baseURL: server.origin, apiKey: 'k', model: 'claude-3-5-haiku-latest', providerName: 'b' }));
    const started = performance.now();
    const events = await collect(model.stream(ask));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e.type === 'text-delta' ? e.text : '')).join('')).toBe('streamed fine');
    expect(events.at(-1)).toMatchObject({ type: 'finish', metadata: { retries: 1 } });
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a caller error (400, 401, 404)', async () => {
    const server = await startOpenAIWireServer([{ type: 'error', status: 400, message: 'bad messages' }, { type: 'chat', text: 'unreachable' }]);
    servers.push(server);
    const model = withRetry(retryFast)(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'bad_request' });
    expect(server.requests).toHaveLength(1);
  });

  it('gives a Retry-After longer than maxRetryAfterMs straight back (for a fallback), keeping it on the error', async () => {
    const server = await startOpenAIWireServer([{ type: 'error', status: 429, message: 'quota', headers: { 'retry-after': '30' } }, { type: 'chat', text: 'x' }]);
    servers.push(server);
    const model = withRetry({ ...retryFast, maxRetryAfterMs: 1000 })(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a stream cut before its first token, and stops after maxAttempts', async () => {
    const server = await startOpenAIWireServer([
      { type: 'chat', text: 'lost', cutAfter: 1 }, // only the role chunk: no token reached the caller
      { type: 'reset' },
      { type: 'chat', text: 'whole answer' },
    ]);
    servers.push(server);
    const model = withRetry(retryFast)(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    const text = (await collect(model.stream(ask))).flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(text).toBe('whole answer');
    expect(server.requests).toHaveLength(3);

    const dead = await startOpenAIWireServer(() => ({ type: 'error', status: 503, message: 'down' }));
    servers.push(dead);
    const limited = withRetry({ ...retryFast, maxAttempts: 3 })(createOpenAICompatibleChat({ baseURL: dead.baseURL, model: 'm' }));
    await expect(limited.generate(ask)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(dead.requests).toHaveLength(3);
  });

  it('does not retry a stream that failed after its first token: the caller gets the prefix once, then an error', async () => {
    const server = await startOpenAIWireServer([{ type: 'chat', textChunks: ['one ', 'two ', 'three'], cutAfter: 3 }, { type: 'chat', text: 'again' }]);
    servers.push(server);
    const model = withRetry(retryFast)(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of model.stream(ask)) if (event.type === 'text-delta') seen.push(event.text);
      })(),
    ).rejects.toMatchObject({ code: 'upstream_error' });
    expect(seen).toEqual(['one ', 'two ']);
    expect(server.requests).toHaveLength(1);
  });
});
