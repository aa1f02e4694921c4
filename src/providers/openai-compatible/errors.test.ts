import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { startOpenAIWireServer } from '../testing/index.ts';
import type { OpenAIWireReply, OpenAIWireServer } from '../testing/index.ts';
import { createOpenAICompatibleChat } from './chat.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

async function failureOf(reply: OpenAIWireReply, options: { timeoutMs?: number; apiKey?: string } = {}): Promise<PlumbError> {
  server = await startOpenAIWireServer([reply]);
  const model = createOpenAICompatibleChat({ baseURL: server.baseURL, apiKey: options.apiKey ?? 'sk-secret-123456', model: 'gpt-4o', ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  const err = await model.generate(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlumbError);
  return err as PlumbError;
}

describe('OpenAI-compatible provider errors', () => {
  it.each([
    [400, 'bad_request', false, /request/],
    [401, 'unauthorized', false, /API key/],
    [403, 'forbidden', false, /API key/],
    [404, 'not_found', false, /model name "gpt-4o" and the base URL/],
    [408, 'upstream_timeout', true, /in time/],
    [422, 'bad_request', false, /request/],
    [500, 'upstream_error', true, /retry later/],
    [503, 'upstream_error', true, /retry later/],
    [529, 'upstream_error', true, /retry later/],
  ] as const)('maps HTTP %i to %s with the provider message and a hint', async (status, code, retryable, hint) => {
    const err = await failureOf({ type: 'error', status, message: `provider says ${status}`, errorType: 'some_error_type', code: 'some_code' });
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(retryable);
    expect(err.message).toContain(`provider says ${status}`);
    expect(err.hint).toMatch(hint);
    expect(err.details).toMatchObject({ status, providerErrorType: 'some_error_type', providerErrorCode: 'some_code', requestId: 'req_wire' });
  });

  it('never repeats the API key, even when the provider echoes it', async () => {
    const err = await failureOf({ type: 'error', status: 401, message: 'Incorrect API key provided: sk-secret-123456.' });
    expect(err.message).not.toContain('sk-secret-123456');
    expect(JSON.stringify(err.toJSON())).not.toContain('sk-secret-123456');
  });

  it('reads Retry-After seconds, HTTP dates and retry-after-ms on 429', async () => {
    expect((await failureOf({ type: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '7' } })).retryAfterSeconds).toBe(7);
    await server?.close();
    const inTwentySeconds = new Date(Date.now() + 20_000).toUTCString();
    const dated = await failureOf({ type: 'error', status: 429, message: 'slow down', headers: { 'retry-after': inTwentySeconds } });
    expect(dated.retryAfterSeconds).toBeGreaterThanOrEqual(18);
    expect(dated.retryAfterSeconds).toBeLessThanOrEqual(21);
    await server?.close();
    const precise = await failureOf({ type: 'error', status: 429, message: 'slow down', headers: { 'retry-after-ms': '1500', 'retry-after': '2' } });
    expect(precise).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 1.5 });
    expect(precise.hint).toMatch(/1.5 s/);
  });

  it('maps malformed JSON, a reset connection and a hang to upstream errors and timeouts', async () => {
    expect(await failureOf({ type: 'text', body: '{"choices": [', headers: { 'content-type': 'application/json' } })).toMatchObject({
      code: 'upstream_error',
      message: expect.stringMatching(/not valid JSON/),
    });
    await server?.close();
    expect(await failureOf({ type: 'reset' })).toMatchObject({ code: 'upstream_error', retryable: true });
    await server?.close();
    const started = Date.now();
    expect(await failureOf({ type: 'hang' }, { timeoutMs: 150 })).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out a stream that stalls midway (the timeout bounds silence between chunks)', async () => {
    server = await startOpenAIWireServer([{ type: 'chat', text: 'a b c d', stallAfter: 2 }]);
    const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', timeoutMs: 150 });
    const consume = async () => {
      for await (const _event of model.stream(request)) {
        // drain
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'upstream_timeout' });
  });

  it('lets a slow but steady stream run longer than timeoutMs', async () => {
    server = await startOpenAIWireServer([{ type: 'chat', text: 'a b c d e f g h', delayMs: 40 }]); // ~12 events: ~480 ms in all
    const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', timeoutMs: 300 });
    let text = '';
    for await (const event of model.stream(request)) if (event.type === 'text-delta') text += event.text;
    expect(text).toBe('a b c d e f g h');
  });

  it('maps a streamed event that is not JSON to upstream_error', async () => {
    server = await startOpenAIWireServer([{ type: 'sse', events: [{ data: '{"choices":[{"delta":{"content":"hi"}}]}' }, { data: '{"choices": [' }] }]);
    const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' });
    const consume = async () => {
      for await (const _event of model.stream(request)) {
        // drain
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('maps an unknown path to not_found naming the base URL', async () => {
    server = await startOpenAIWireServer([{ type: 'chat', text: 'x' }]);
    const model = createOpenAICompatibleChat({ baseURL: server.origin, model: 'gpt-4o' }); // forgot "/v1"
    await expect(model.generate(request)).rejects.toMatchObject({ code: 'not_found', hint: expect.stringContaining(server.origin) });
  });

  it('maps connection refused to unavailable with a hint naming the base URL', async () => {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const model = createOpenAICompatibleChat({ baseURL, model: 'llama3.2' });
    await expect(model.generate(request)).rejects.toMatchObject({ code: 'unavailable', retryable: true, hint: expect.stringContaining(baseURL) });
  });

  it('passes a caller abort through as the caller’s reason, before or during the request', async () => {
    server = await startOpenAIWireServer([{ type: 'hang' }]);
    const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await expect(model.generate({ ...request, signal: controller.signal })).rejects.toThrow('caller gave up');
    await expect(model.generate({ ...request, signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
