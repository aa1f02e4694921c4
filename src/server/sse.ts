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
 */
function coalescingWriter(write: (text: string) => void, stopped: AbortSignal): { writer: SseWriter; takeRest: () => string } {
  let pending = '';
  let scheduled = false;
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
  return { writer, takeRest };
}

/** The Node response behind a Hono context, when the app runs under @hono/node-server. */
function nodeResponseOf(c: Context | undefined): ServerResponse | undefined {
  const outgoing = (c?.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing && typeof (outgoing as ServerResponse).writeHead === 'function' ? (outgoing as ServerResponse) : undefined;
}

/**
 * Streams events produced by `produce`; errors become an `error` event, then the stream ends.
 * Pass the route's context `c` so that, under the Node server, events are written directly.
 */
export function sseResponse(produce: Produce, onError: OnError, c?: Context): Response {
  const outgoing = nodeResponseOf(c);
  return outgoing ? sseToNode(outgoing, produce, onError) : sseAsWebStream(produce, onError);
}

function sseToNode(outgoing: ServerResponse, produce: Produce, onError: OnError): Response {
  streamSseToNode(outgoing, produce, onError);
  return RESPONSE_ALREADY_SENT;
}

/**
 * Streams events straight to a Node response (the server's direct routes use this too).
 * `clientGone`, when the caller already has one, is a signal that fires when `outgoing` closes
 * before it finished (a route's own, which also cancels the upstream): it saves a second
 * controller and listener per stream. Without it, one is made here.
 */
export function streamSseToNode(outgoing: ServerResponse, produce: Produce, onError: OnError, clientGone?: AbortSignal): void {
  const stopped = clientGone ?? clientGoneSignal(outgoing);
  // Headers leave with the first events (one write), not in a packet of their own; the events
  // still queued at the end leave with the end of the chunked body (one write, not two).
  outgoing.writeHead(200, SSE_HEADERS);
  void streamEvents((text) => outgoing.write(text), stopped, produce, onError).then(
    (rest) => !stopped.aborted && outgoing.end(rest),
    () => outgoing.destroy(),
  );
}

/**
 * Runs `produce` through a coalescing writer; a failure becomes `onError`'s events. Returns the
 * events not yet written, for the caller to send with the end of the response.
 */
async function streamEvents(write: (text: string) => void, stopped: AbortSignal, produce: Produce, onError: OnError): Promise<string> {
  const { writer, takeRest } = coalescingWriter(write, stopped);
  try {
    await produce(writer, stopped);
  } catch (error) {
    onError(error, writer);
  }
  return takeRest();
}

function sseAsWebStream(produce: Produce, onError: OnError): Response {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const rest = await streamEvents((text) => controller.enqueue(encoder.encode(text)), abort.signal, produce, onError);
      if (abort.signal.aborted) return;
      if (rest) controller.enqueue(encoder.encode(rest));
      controller.close();
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
