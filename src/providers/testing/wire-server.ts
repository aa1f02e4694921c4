/**
 * A real `node:http` server on 127.0.0.1, port 0, that answers each request with a scripted
 * reply and records what it received. Provider-specific servers (OpenAI, Anthropic) sit on top
 * and turn their own reply shapes into these generic ones. Replies cover what a client must
 * survive: JSON, SSE streamed event by event, raw text (malformed JSON), hangs and resets.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The body parsed as JSON, or undefined when it was empty or not JSON. */
  body: unknown;
  rawBody: string;
}

/** One SSE event as written to the wire: `event: <event>` (when set) and `data: <data>`. */
export interface WireEvent {
  event?: string;
  data: string;
}

export type WireReply =
  | { type: 'json'; status?: number; headers?: Record<string, string>; body: unknown }
  /** Any text with any content type: malformed JSON, an HTML proxy page. */
  | { type: 'text'; status?: number; headers?: Record<string, string>; body: string }
  | {
      type: 'sse';
      status?: number;
      headers?: Record<string, string>;
      events: WireEvent[];
      /** Pause between events, so clients really receive them one by one. Default 0. */
      delayMs?: number;
      /** Destroy the socket after this many events, cutting the stream midway. */
      cutAfter?: number;
      /** Write this many events, then stop sending but keep the connection open. */
      stallAfter?: number;
    }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { type: 'hang' }
  /** Destroys the connection without answering. */
  | { type: 'reset' };

/** Decides the reply to the request with the given 0-based index. */
export type WireHandler = (request: RecordedRequest, index: number) => WireReply | Promise<WireReply>;

export interface WireServer {
  /** e.g. "http://127.0.0.1:43121" */
  readonly origin: string;
  /** Every request received so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Closes the server and every open connection (including hanging ones). */
  close(): Promise<void>;
}

/** Starts a scripted server on 127.0.0.1 with an ephemeral port. */
export async function startWireServer(handler: WireHandler): Promise<WireServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const recorded = await record(req);
      const index = requests.push(recorded) - 1;
      try {
        await write(res, await handler(recorded, index));
      } catch (err) {
        // A broken script should fail the test loudly, not hang it.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`wire server handler failed: ${err instanceof Error ? err.message : String(err)}`);
        } else res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body, rawBody };
}

async function write(res: ServerResponse, reply: WireReply): Promise<void> {
  switch (reply.type) {
    case 'json':
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
      return;
    case 'text':
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body);
      return;
    case 'hang':
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'sse':
      await writeEvents(res, reply);
      return;
  }
}

async function writeEvents(res: ServerResponse, reply: Extract<WireReply, { type: 'sse' }>): Promise<void> {
  res.writeHead(reply.status ?? 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  res.flushHeaders();
  for (const [i, event] of reply.events.entries()) {
    if (i === reply.cutAfter) return cut(res);
    if (i === reply.stallAfter) return;
    if (res.destroyed) return; // the client went away
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    res.write(`${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${event.data}\n\n`);
  }
  if (reply.cutAfter !== undefined && reply.cutAfter >= reply.events.length) return cut(res);
  if (reply.stallAfter !== undefined && reply.stallAfter >= reply.events.length) return;
  res.end();
}

/** Ends the TCP connection after what was written so far, leaving the HTTP body unterminated. */
function cut(res: ServerResponse): void {
  const socket = res.socket;
  // end() (not destroy()) so the events already written reach the client before the cut.
  socket?.end(() => socket.destroy());
}
