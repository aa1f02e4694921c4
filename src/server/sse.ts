/** Server-sent events over a web-standard Response, with a clean end on client disconnect. */

export interface SseWriter {
  send(event: string | null, data: unknown): void;
  /** Raw `data:` line (OpenAI's `[DONE]`). */
  sendRaw(data: string): void;
}

/** Streams events produced by `produce`; errors become an `error` event, then the stream ends. */
export function sseResponse(produce: (w: SseWriter, signal: AbortSignal) => Promise<void>, onError: (error: unknown, w: SseWriter) => void): Response {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // Events produced in one turn of the event loop (e.g. every delta of one upstream chunk) go
      // out as one chunk: each chunk is a socket write, and writes are what a stream costs here.
      // The first event waits only for the end of the current turn (setImmediate), well under 1 ms.
      let pending = '';
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        if (pending && !abort.signal.aborted) controller.enqueue(encoder.encode(pending));
        pending = '';
      };
      const push = (text: string) => {
        if (abort.signal.aborted) return;
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
      try {
        await produce(writer, abort.signal);
      } catch (error) {
        onError(error, writer);
      }
      flush();
      if (!abort.signal.aborted) controller.close();
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}
