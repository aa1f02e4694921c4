import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { createAnthropicChat } from '../anthropic/chat.ts';
import { createOpenAICompatibleChat } from '../openai-compatible/chat.ts';
import { postJson, readJsonBody } from './json-request.ts';
import { startUnacceptedListener } from './unaccepted-listener.ts';
import type { UnacceptedListener } from './unaccepted-listener.ts';

let blackhole: UnacceptedListener;
beforeAll(async () => {
  blackhole = await startUnacceptedListener();
});
afterAll(async () => {
  await blackhole.close();
});

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** The error `call` fails with and how long it took. */
async function timed(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('connect timeout', () => {
  it('the listener really hangs a connect: without a connect timeout only the call timeout ends it', async () => {
    const { error, ms } = await timed(() =>
      postJson({ endpoint: { provider: 'p', baseURL: blackhole.origin }, model: 'm', url: `${blackhole.origin}/x`, headers: {}, body: {}, timeoutMs: 400, connectTimeoutMs: 60_000 }),
    );
    expect(error).toMatchObject({ code: 'upstream_timeout', message: expect.stringContaining('did not answer within 400 ms') });
    expect(ms).toBeGreaterThanOrEqual(390);
  });

  it('fails a connect that does not complete within connectTimeoutMs as a retryable upstream_timeout', async () => {
    const model = createOpenAICompatibleChat({ baseURL: `${blackhole.origin}/v1`, model: 'gpt-4o-mini', providerName: 'down', connectTimeoutMs: 300, timeoutMs: 10_000 });
    const { error, ms } = await timed(() => model.generate(request));
    expect(error).toBeInstanceOf(PlumbError);
    const err = error as PlumbError;
    expect(err.code).toBe('upstream_timeout');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('within 300 ms');
    expect(err.details).toMatchObject({ provider: 'down', timeout: 'connect', timeoutMs: 300 });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1_500);
  });

  it('bounds the connect of a stream too (Anthropic format)', async () => {
    const model = createAnthropicChat({ baseURL: blackhole.origin, apiKey: 'k', model: 'claude-3-5-haiku-latest', connectTimeoutMs: 250, timeoutMs: 10_000 });
    const { error, ms } = await timed(async () => {
      for await (const event of model.stream(request)) void event;
    });
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true, details: { timeout: 'connect', timeoutMs: 250 } });
    expect(ms).toBeGreaterThanOrEqual(240);
    expect(ms).toBeLessThan(1_500);
  });

  it('stops counting once connected: a server slow to answer is bounded by timeoutMs, not the connect timeout', async () => {
    const server = createServer((req, res) => {
      req.resume();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const open = await postJson({ endpoint: { provider: 'slow', baseURL: origin }, model: 'm', url: `${origin}/x`, headers: {}, body: {}, timeoutMs: 5_000, connectTimeoutMs: 50 });
      expect(await readJsonBody(open)).toEqual({ ok: true });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
