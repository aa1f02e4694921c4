import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlumb } from '../app.ts';
import type { PlumbConfigInput } from '../config/schema.ts';
import { startOpenAIWireServer, type OpenAIChatReply } from '../providers/testing/index.ts';
import { tempPlumb } from '../testing/temp-plumb.ts';
import { startServer } from './start-server.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function serveStreaming(reply: OpenAIChatReply) {
  const upstream = await startOpenAIWireServer(() => reply);
  closers.push(() => upstream.close());
  const config: PlumbConfigInput = { embeddings: { provider: 'none' }, cache: { exact: false }, gateway: { providers: { up: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { smart: { provider: 'up', model: 'm' } } } };
  const { plumb, dataDir } = await tempPlumb(config);
  const server = await startServer(plumb, { port: 0 });
  return { plumb, dataDir, server, config };
}

/** Starts a streamed chat completion; resolves with its first bytes, and `rest` with the whole body (or the error that cut it). */
function startStream(port: number): Promise<{ first: string; rest: Promise<string | Error> }> {
  const body = JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'tell me slowly' }] });
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      let ended: (value: string | Error) => void = () => undefined;
      const rest = new Promise<string | Error>((r) => (ended = r));
      res.once('data', (first: string) => {
        text += first;
        resolve({ first, rest });
      });
      res.on('data', (part: string) => (text === part ? undefined : (text += part)));
      res.on('end', () => ended(text));
      res.on('error', (error) => ended(error));
      res.on('aborted', () => ended(new Error('aborted')));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

describe('closing the server gracefully', () => {
  it('refuses new connections but lets a stream under way finish within the grace period', async () => {
    const { plumb, server } = await serveStreaming({ type: 'chat', text: 'one two three four five six', delayMs: 40 });
    closers.push(() => plumb.close());
    const stream = await startStream(server.port);
    const closing = server.close(5_000).then(() => Date.now());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await connects(server.port)).toBe(false);
    const body = await stream.rest;
    const finishedAt = Date.now();
    expect(typeof body).toBe('string');
    expect(body as string).toContain('data: [DONE]');
    expect((body as string).match(/"content":"[^"]+"/g)?.length).toBe(6);
    // close() resolved only once the stream had ended (and well before the grace period ran out).
    expect(await closing).toBeGreaterThanOrEqual(finishedAt - 5);
    expect((await plumb.store.listLedger('default')).map((e) => e.status)).toEqual(['ok']);
  });

  it('cuts what is still running when the grace period ends, and a plumb closed meanwhile books the cut call before its store closes', async () => {
    const { plumb, dataDir, server, config } = await serveStreaming({ type: 'chat', text: 'one two three four five six', stallAfter: 2 });
    const stream = await startStream(server.port);
    expect(stream.first).toContain('data: ');
    const started = Date.now();
    // plumb is closed while the call still runs: closing waits for its row before the store goes.
    const [, closedAt] = await Promise.all([server.close(150).then(() => Date.now()), plumb.close().then(() => Date.now())]);
    expect(closedAt - started).toBeGreaterThanOrEqual(140);
    expect(await stream.rest).toBeInstanceOf(Error);
    const reopened = await createPlumb({ config: { ...config, dataDir }, env: {} });
    closers.push(() => reopened.close());
    const rows = await reopened.store.listLedger('default');
    expect(rows.map((e) => [e.route, e.status, e.streamed])).toEqual([['smart', 'cancelled', true]]);
  });
});
