import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlumbConfigInput } from '../config/schema.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { tempPlumb } from '../testing/temp-plumb.ts';
import { createApp } from './create-app.ts';
import { withDirectChatRoute } from './direct-chat-route.ts';
import { startServer } from './start-server.ts';

// The Node server answers POST /v1/chat/completions itself (direct-chat-route.ts); these tests pin
// that it answers exactly as the Hono route does, which app.request() still reaches.

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function serve(config: PlumbConfigInput) {
  const { plumb } = await tempPlumb({ embeddings: { provider: 'none' }, ...config });
  closers.push(() => plumb.close());
  const server = await startServer(plumb, { port: 0 });
  closers.push(() => server.close());
  return { plumb, server };
}

const chatBody = (content: string, extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'fast', messages: [{ role: 'user', content }], ...extra });
const post = (url: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

async function gatewayToWire(config: PlumbConfigInput = {}) {
  const upstream = await startOpenAIWireServer(() => ({ type: 'chat', text: 'Hello there.', usage: { prompt_tokens: 7, completion_tokens: 3 } }));
  closers.push(() => upstream.close());
  return serve({
    gateway: { providers: { up: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { fast: { provider: 'up', model: 'm' } } },
    cache: { exact: false },
    ...config,
  });
}

async function bookedRequests(url: string, key?: string): Promise<number> {
  const res = await fetch(`${url}/v1/ledger?limit=0`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  expect(res.status).toBe(200);
  return ((await res.json()) as { totals: { requests: number } }).totals.requests;
}

/** Drops what differs between two answers to the same request (id, time). */
function comparable(body: Record<string, unknown>) {
  const { id, created, ...rest } = body;
  expect(String(id)).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
  expect(typeof created).toBe('number');
  return rest;
}

describe('POST /v1/chat/completions on the Node server (direct route)', () => {
  it('takes only POST /v1/chat/completions (with or without a query) and hands the rest on', async () => {
    const { plumb } = await tempPlumb({ embeddings: { provider: 'none' } });
    closers.push(() => plumb.close());
    const handedOn: string[] = [];
    const listener = withDirectChatRoute({ plumb, open: true }, 1_000_000, (req, res) => {
      handedOn.push(`${req.method} ${req.url}`);
      res.end('next');
    });
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const direct = await post(url, JSON.stringify({ model: 'plumb-chat', messages: [] }));
    expect(direct.status).toBe(400);
    expect((await fetch(`${url}/v1/chat/completions?x=1`, { method: 'POST', body: '{' })).status).toBe(400);
    for (const [method, path] of [['GET', '/v1/chat/completions'], ['POST', '/v1/chat/completionsX'], ['POST', '/v1/embeddings'], ['GET', '/healthz']] as const) {
      expect(await (await fetch(`${url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) })).text()).toBe('next');
    }
    expect(handedOn).toEqual(['GET /v1/chat/completions', 'POST /v1/chat/completionsX', 'POST /v1/embeddings', 'GET /healthz']);
  });

  it('answers what the Hono route answers: body, status and plumb headers', async () => {
    const { plumb, server } = await gatewayToWire();
    const direct = await post(server.url, chatBody('hi'));
    const viaHono = await createApp(plumb, { open: true }).request('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('hi') });
    expect(direct.status).toBe(200);
    expect(viaHono.status).toBe(200);
    expect(direct.headers.get('content-type')).toBe('application/json');
    const directBody = comparable((await direct.json()) as Record<string, unknown>);
    expect(directBody).toEqual(comparable((await viaHono.json()) as Record<string, unknown>));
    expect(directBody['choices']).toEqual([{ index: 0, message: { role: 'assistant', content: 'Hello there.', refusal: null }, finish_reason: 'stop', logprobs: null }]);
    for (const name of ['x-plumb-provider', 'x-plumb-cost-usd']) {
      expect(direct.headers.get(name)).not.toBeNull();
      expect(direct.headers.get(name)).toBe(viaHono.headers.get(name));
    }
    // Both were booked, under the tenant the open local mode picked.
    expect(await bookedRequests(server.url)).toBe(2);
  });

  it('streams server-sent events ending in [DONE], with a query string on the path', async () => {
    const { server } = await gatewayToWire();
    const res = await fetch(`${server.url}/v1/chat/completions?trace=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('hi', { stream: true, stream_options: { include_usage: true } }) });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const lines = (await res.text()).split('\n').filter((l) => l.startsWith('data: '));
    expect(lines.at(-1)).toBe('data: [DONE]');
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l.slice(6)) as { choices: Array<{ delta: { content?: string } }>; usage?: { completion_tokens: number } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello there.');
    expect(chunks.at(-1)!.usage!.completion_tokens).toBe(3);
  });

  it('refuses bad requests in the one error shape: not JSON, invalid fields, unknown model', async () => {
    const { server } = await gatewayToWire();
    const notJson = await post(server.url, '{"model":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');

    const invalid = await post(server.url, JSON.stringify({ model: 'fast', messages: [], temperature: 7 }));
    expect(invalid.status).toBe(400);
    const error = ((await invalid.json()) as { error: { code: string; type: string; message: string } }).error;
    expect(error.code).toBe('bad_request');
    expect(error.type).toBe('bad_request');
    expect(error.message).toContain('messages');
    expect(error.message).toContain('temperature');

    const unknown = await post(server.url, JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { hint: string } }).error.hint).toContain('/v1/models');

    // A trailing slash is not this route: Hono answers it, with its 404.
    const other = await fetch(`${server.url}/v1/chat/completions/`, { method: 'POST', body: chatBody('hi') });
    expect(other.status).toBe(404);
  });

  it('answers 413 over the body limit, declared or chunked, and stays usable', async () => {
    const { server } = await gatewayToWire({ server: { maxBodyBytes: 4096 } });
    const declared = await post(server.url, chatBody('x'.repeat(10_000)));
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');

    const big = new TextEncoder().encode(chatBody('y'.repeat(50_000)));
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 1024) controller.enqueue(big.slice(i, i + 1024));
        controller.close();
      },
    });
    const refused = await post(server.url, chunked);
    expect(refused.status).toBe(413);
    expect((await post(server.url, chatBody('small'))).status).toBe(200);
  });

  it('needs a key when the server requires one, and books the call to the key’s tenant', async () => {
    const { plumb, server } = await gatewayToWire({ server: { auth: 'required' } });
    const none = await post(server.url, chatBody('hi'));
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { hint: string } }).error.hint).toContain('plumb keys create');
    expect((await post(server.url, chatBody('hi'), { authorization: 'Bearer sk-wrong' })).status).toBe(401);

    const { key } = await plumb.createApiKey('acme');
    const ok = await post(server.url, chatBody('hi'), { authorization: `Bearer ${key}`, 'x-plumb-tenant': 'globex' });
    expect(ok.status).toBe(200);
    expect(await bookedRequests(server.url, key)).toBe(1);
    const { key: globexKey } = await plumb.createApiKey('globex');
    expect(await bookedRequests(server.url, globexKey)).toBe(0);
  });

  it('cancels the upstream call when the client goes away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const hanging: Server = createServer((req, res) => {
      res.once('close', upstreamClosed);
      req.resume();
      arrived();
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => { hanging.closeAllConnections(); hanging.close(() => resolve()); }));
    const baseUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`;
    const { server } = await serve({
      gateway: { providers: { slow: { type: 'openai-compatible', baseUrl, models: ['m'], retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } } }, aliases: { fast: { provider: 'slow', model: 'm' } } },
      cache: { exact: false },
    });
    const client = new AbortController();
    void fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody('hi again'), signal: client.signal }).catch(() => undefined);
    await reached;
    client.abort();
    await closed;
  });
});
