/**
 * Server-sent events with a clean end on client disconnect. Under the Node server the events are
 * written straight to its ServerResponse; elsewhere (app.request in tests, other runtimes) they go
 * through a web ReadableStream, whose reader loop cost ~2x the CPU of a whole streamed gateway
 * request and added to its time to first token.
 */
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { clientGoneSignal } from './client-gone.ts';

export interface SseWriter {
  send(event: string | null, data: unknown): void;
  /** Raw `data:` line (OpenAI's `[DONE]`). */
  sendRaw(data: string): void;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };

type Produce = (w: SseWriter, signal: AbortSignal) => Promise<void>;
type OnError = (error: unknown, w: SseWriter) => void;

/**
 * Batches the events of one event-loop turn (e.g. every delta of one upstream chunk) into one
 * write: each write is a syscall, and writes are what a stream costs here. The first event waits
 * only for the end of the current turn (setImmediate), well under 1 ms. `takeRest` hands back what
 * is still queued when the stream is done, so it leaves with the end of the response in one write.
 * `onFirst` runs at the first event: from then on the stream is committed.
 */
function coalescingWriter(write: (text: string) => void, stopped: AbortSignal, onFirst: () => void): { writer: SseWriter; takeRest: () => string; started: () => boolean } {
  let pending = '';
  let scheduled = false;
  let started = false;
  const takeRest = (): string => {
    const rest = stopped.aborted ? '' : pending;
    pending = '';
    return rest;
  };
  const flush = (): void => {
    scheduled = false;
    const rest = takeRest();
    if (rest) write(rest);
  };
  const push = (text: string): void => {
    if (stopped.aborted) return;
    if (!started) {
      started = true;
      onFirst();
    }
    pending += text;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const writer: SseWriter = {
    send(event, data) {
      push(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    },
    sendRaw(data) {
      push(`data: ${data}\n\n`);
    },
  };
  return { writer, takeRest, started: () => started };
}

/** The Node response behind a Hono context, when the app runs under @hono/node-server. */
function nodeResponseOf(c: Context | undefined): ServerResponse | undefined {
  const outgoing = (c?.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing && typeof (outgoing as ServerResponse).writeHead === 'function' ? (outgoing as ServerResponse) : undefined;
}

/**
 * Streams events produced by `produce`. Nothing is sent until its first event: if it fails before
 * that (a budget or rate limit, every upstream down before the first token), the returned promise
 * rejects and the caller answers with an ordinary HTTP error — a status and `Retry-After` that
 * clients act on, as OpenAI's and Anthropic's APIs do. A failure after the first event becomes
 * `onError`'s events, then the stream ends. Pass the route's context `c` so that, under the Node
 * server, events are written directly.
 */
export async function sseResponse(produce: Produce, onError: OnError, c?: Context): Promise<Response> {
  const outgoing = nodeResponseOf(c);
  if (!outgoing) return sseAsWebStream(produce, onError);
  await streamSseToNode(outgoing, produce, onError);
  return RESPONSE_ALREADY_SENT;
}

/**
 * Streams events straight to a Node response (the server's direct routes use this too). Settles
 * once the stream is committed: resolves at its first event (the rest goes on), or rejects with
 * `produce`'s error when it failed before any, with nothing written. The headers leave with the
 * first events, in the same write.
 * `clientGone`, when the caller already has one, is a signal that fires when `outgoing` closes
 * before it finished (a route's own, which also cancels the upstream): it saves a second
 * controller and listener per stream. Without it, one is made here.
 */
export function streamSseToNode(outgoing: ServerResponse, produce: Produce, onError: OnError, clientGone?: AbortSignal): Promise<void> {
  const stopped = clientGone ?? clientGoneSignal(outgoing);
  const write = (text: string): void => {
    if (!outgoing.headersSent) outgoing.writeHead(200, SSE_HEADERS);
    outgoing.write(text);
  };
  return new Promise<void>((resolve, reject) => {
    let underWay = false;
    const committed = (): void => {
      underWay = true;
      resolve();
    };
    streamEvents(write, stopped, produce, onError, committed).then(
      (rest) => {
        committed();
        // The client is gone: nobody to write to. Else the events still queued leave with the end
        // of the chunked body (one write, not two).
        if (stopped.aborted) return;
        if (!outgoing.headersSent) outgoing.writeHead(200, SSE_HEADERS);
        outgoing.end(rest);
      },
      (error: unknown) => {
        // A stream under way cannot be answered with an error status any more: cut it.
        if (underWay) outgoing.destroy();
        else reject(error);
      },
    );
  });
}

/**
 * Runs `produce` through a coalescing writer; a failure after its first event becomes `onError`'s
 * events, a failure before it is thrown. Returns the events not yet written, for the caller to
 * send with the end of the response.
 */
async function streamEvents(write: (text: string) => void, stopped: AbortSignal, produce: Produce, onError: OnError, onFirst: () => void = () => undefined): Promise<string> {
  const { writer, takeRest, started } = coalescingWriter(write, stopped, onFirst);
  try {
    await produce(writer, stopped);
  } catch (error) {
    if (!started()) throw error;
    onError(error, writer);
  }
  return takeRest();
}

/** The same under other runtimes: the Response is made once the stream is committed. */
async function sseAsWebStream(produce: Produce, onError: OnError): Promise<Response> {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      abort.abort();
    },
  });
  let markCommitted!: () => void;
  const committed = new Promise<void>((resolve) => (markCommitted = resolve));
  const produced = streamEvents((text) => controller.enqueue(encoder.encode(text)), abort.signal, produce, onError, markCommitted).then((rest) => {
    if (abort.signal.aborted) return;
    if (rest) controller.enqueue(encoder.encode(rest));
    controller.close();
  });
  // Whichever comes first: the first event, the end of a stream that sent none, or an early failure.
  await Promise.race([committed, produced]);
  produced.catch((error: unknown) => controller.error(error));
  return new Response(stream, { headers: SSE_HEADERS });
}
