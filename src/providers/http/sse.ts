/**
 * A Server-Sent Events parser (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * bytes in, `{ event, data }` out. Both OpenAI (`data:` lines, `[DONE]`) and Anthropic
 * (`event:` + `data:`) stream this way.
 */

export interface ServerSentEvent {
  /** The `event:` field, or undefined for the default "message" event. */
  event: string | undefined;
  /** All `data:` lines of the event joined with "\n". */
  data: string;
}

/** Parses an SSE byte stream into events, dispatching each on its blank line. */
export async function* parseServerSentEvents(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let dataLines: string[] = [];

  const takeEvent = (): ServerSentEvent | undefined => {
    const dispatched = dataLines.length > 0 ? { event, data: dataLines.join('\n') } : undefined;
    event = undefined;
    dataLines = [];
    return dispatched;
  };

  const feedLine = (line: string): ServerSentEvent | undefined => {
    if (line === '') return takeEvent();
    if (line.startsWith(':')) return undefined; // a comment, used by servers as a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') event = value;
    return undefined;
  };

  for await (const chunk of bytes) {
    buffer += decoder.decode(chunk, { stream: true });
    let lineEnd: RegExpExecArray | null;
    // A lone "\r" at the end of the buffer may be the first half of "\r\n": wait for more bytes.
    while ((lineEnd = /\r\n|\n|\r(?!$)/.exec(buffer)) !== null) {
      const line = buffer.slice(0, lineEnd.index);
      buffer = buffer.slice(lineEnd.index + lineEnd[0].length);
      const dispatched = feedLine(line);
      if (dispatched) yield dispatched;
    }
  }
  buffer += decoder.decode();
  // Lenient at the end: a last event without its blank line is still delivered, so the caller
  // (not the parser) decides whether the stream ended properly.
  for (const line of buffer.split(/\r\n|\n|\r/)) {
    const dispatched = feedLine(line);
    if (dispatched) yield dispatched;
  }
  const last = takeEvent();
  if (last) yield last;
}
