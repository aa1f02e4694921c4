import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { sseResponse, streamSseToNode } from './sse.ts';

async function chunksOf(response: Response): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

describe('sseResponse', () => {
  it('sends the events of one turn as one chunk, and does not hold them back for the next turn', async () => {
    let firstChunkSeenBeforeSecondBurst = false;
    const response = await sseResponse(
      async (w) => {
        w.send(null, { n: 1 });
        w.send(null, { n: 2 });
        w.send('note', { n: 3 });
        await new Promise((resolve) => setTimeout(resolve, 30));
        firstChunkSeenBeforeSecondBurst = seen.length === 1;
        w.send(null, { n: 4 });
        w.sendRaw('[DONE]');
      },
      () => undefined,
    );
    const seen: string[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(decoder.decode(value));
    }
    expect(seen).toEqual(['data: {"n":1}\n\ndata: {"n":2}\n\nevent: note\ndata: {"n":3}\n\n', 'data: {"n":4}\n\ndata: [DONE]\n\n']);
    expect(firstChunkSeenBeforeSecondBurst).toBe(true);
  });

  it('sends what was queued before an error, then the error event', async () => {
    const response = await sseResponse(
      async (w) => {
        w.send(null, { n: 1 });
        throw new Error('upstream cut');
      },
      (error, w) => w.send('error', { message: (error as Error).message }),
    );
    expect((await chunksOf(response)).join('')).toBe('data: {"n":1}\n\nevent: error\ndata: {"message":"upstream cut"}\n\n');
  });

  it('rejects with a failure that comes before the first event, and makes no response of it', async () => {
    let errorEvents = 0;
    const failing = sseResponse(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('rate limited');
      },
      () => errorEvents++,
    );
    await expect(failing).rejects.toThrow('rate limited');
    expect(errorEvents).toBe(0);
    // A producer that ends without any event is an empty stream, not a failure.
    const empty = await sseResponse(async () => undefined, () => undefined);
    expect(await chunksOf(empty)).toEqual([]);
  });
});

describe('sseResponse under the Node server (written straight to the socket)', () => {
  async function withServer(route: (c: Context) => Promise<Response>, run: (url: string) => Promise<void>): Promise<void> {
    const app = new Hono();
    app.get('/events', route);
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/events`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('sends the SSE headers and each turn of events as one chunk, then ends the response', async () => {
    let returned: Response | undefined;
    await withServer(
      async (c) =>
        (returned = await sseResponse(
          async (w) => {
            w.send(null, { n: 1 });
            w.send('note', { n: 2 });
            await new Promise((resolve) => setTimeout(resolve, 30));
            w.sendRaw('[DONE]');
          },
          () => undefined,
          c,
        )),
      async (url) => {
        const chunks: string[] = [];
        const response = await new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
          httpRequest(url, (res) => {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] }));
          })
            .on('error', reject)
            .end();
        });
        expect(response).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
        // Chunked encoding is decoded by the client; the two turns arrive as two writes.
        expect(chunks.join('')).toBe('data: {"n":1}\n\nevent: note\ndata: {"n":2}\n\ndata: [DONE]\n\n');
        expect(chunks[0]).toBe('data: {"n":1}\n\nevent: note\ndata: {"n":2}\n\n');
        // Written to the Node response directly, not piped from a web stream.
        expect(returned?.headers.get('x-hono-already-sent')).toBe('true');
      },
    );
  });

  it('aborts the producer when the client disconnects', async () => {
    let stopped: () => void = () => undefined;
    const producerStopped = new Promise<void>((resolve) => (stopped = resolve));
    await withServer(
      (c) =>
        sseResponse(
          async (w, signal) => {
            signal.addEventListener('abort', () => stopped());
            w.send(null, { n: 1 });
            await new Promise((resolve) => setTimeout(resolve, 5_000));
          },
          () => undefined,
          c,
        ),
      async (url) => {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(url, (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', () => undefined).end();
          setTimeout(() => reject(new Error('no first event')), 2_000);
        });
        await producerStopped;
      },
    );
  });

  it('leaves a failure before the first event to the route: an HTTP error with its status, not a stream', async () => {
    const app = new Hono();
    app.get('/events', (c) =>
      sseResponse(
        async (w) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (c.req.query('first') === 'event') w.send(null, { n: 1 });
          throw new Error('over budget');
        },
        (error, w) => w.send('error', { message: (error as Error).message }),
        c,
      ),
    );
    app.onError((error, c) => c.json({ error: error.message }, 429, { 'retry-after': '7' }));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
      const early = await fetch(url);
      expect(early.status).toBe(429);
      expect(early.headers.get('retry-after')).toBe('7');
      expect(await early.json()).toEqual({ error: 'over budget' });
      // After the first event the stream is committed: the failure is an event in it.
      const late = await fetch(`${url}?first=event`);
      expect(late.status).toBe(200);
      expect(late.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(await late.text()).toBe('data: {"n":1}\n\nevent: error\ndata: {"message":"over budget"}\n\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('streamSseToNode', () => {
  it('sends a stream produced within one turn with the end of the response, in one call (one write to the socket, not two)', async () => {
    const writes: unknown[] = [];
    let endedWith: unknown;
    const server = createServer((_req, res) => {
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
      res.write = ((...args: unknown[]) => (writes.push(args[0]), write(...args))) as typeof res.write;
      res.end = ((...args: unknown[]) => ((endedWith = args[0]), end(...args))) as typeof res.end;
      void streamSseToNode(
        res,
        async (w) => {
          w.send(null, { n: 1 });
          await Promise.resolve();
          w.sendRaw('[DONE]');
        },
        () => undefined,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const text = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).text();
      expect(text).toBe('data: {"n":1}\n\ndata: [DONE]\n\n');
      expect(writes).toEqual([]);
      expect(endedWith).toBe(text);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends no headers before the first event, settles when the stream is under way, and rejects an early failure with nothing written', async () => {
    const seen: Array<{ case: string; headersSentBeforeFirst: boolean; settled: string; writableEnded: boolean }> = [];
    const server = createServer((req, res) => {
      const early = req.url === '/early';
      let headersSentBeforeFirst = true;
      streamSseToNode(
        res,
        async (w) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          headersSentBeforeFirst = res.headersSent;
          if (early) throw new Error('no upstream');
          w.send(null, { n: 1 });
          await new Promise((resolve) => setTimeout(resolve, 10));
          w.sendRaw('[DONE]');
        },
        () => undefined,
      ).then(
        () => seen.push({ case: req.url!, headersSentBeforeFirst, settled: 'committed', writableEnded: res.writableEnded }),
        (error: Error) => {
          seen.push({ case: req.url!, headersSentBeforeFirst, settled: `rejected: ${error.message}`, writableEnded: res.writableEnded });
          res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const early = await fetch(`${base}/early`);
      expect([early.status, await early.text()]).toEqual([503, 'down']);
      const ok = await fetch(`${base}/ok`);
      expect([ok.status, await ok.text()]).toEqual([200, 'data: {"n":1}\n\ndata: [DONE]\n\n']);
      expect(seen).toEqual([
        { case: '/early', headersSentBeforeFirst: false, settled: 'rejected: no upstream', writableEnded: false },
        // Settled at the first event, while the rest was still to come.
        { case: '/ok', headersSentBeforeFirst: false, settled: 'committed', writableEnded: false },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops the producer on the signal it is given instead of making its own', async () => {
    const gone = new AbortController();
    let seen: AbortSignal | undefined;
    const server = createServer((_req, res) => {
      void streamSseToNode(
        res,
        async (w, signal) => {
          seen = signal;
          w.send(null, { n: 1 });
          await new Promise((resolve) => setTimeout(resolve, 20));
          gone.abort();
          w.send(null, { n: 2 });
          res.destroy();
        },
        () => undefined,
        gone.signal,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const received: string[] = [];
      await new Promise<void>((resolve) => {
        httpRequest(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => received.push(chunk));
          res.on('error', () => resolve());
          res.on('close', () => resolve());
        })
          .on('error', () => resolve())
          .end();
      });
      expect(seen).toBe(gone.signal);
      // The event queued after the signal fired was never written.
      expect(received.join('')).toBe('data: {"n":1}\n\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
