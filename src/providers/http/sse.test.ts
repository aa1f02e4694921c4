import { describe, expect, it } from 'vitest';
import { parseServerSentEvents } from './sse.ts';
import type { ServerSentEvent } from './sse.ts';

async function parse(chunks: (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
  async function* bytes() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
  const out: ServerSentEvent[] = [];
  for await (const event of parseServerSentEvents(bytes())) out.push(event);
  return out;
}

describe('parseServerSentEvents', () => {
  it('reads event names, joins multi-line data and skips comments', async () => {
    expect(await parse([': keep-alive\n\nevent: message_start\ndata: {"a":1}\n\ndata: line one\ndata: line two\n\n'])).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: 'line one\nline two' },
    ]);
  });

  it('handles CRLF and CR line endings, including a CRLF split across chunks', async () => {
    expect(await parse(['data: a\r', '\n\r\ndata: b\r\r'])).toEqual([
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
    ]);
  });

  it('reassembles lines and multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\n');
    const cut = bytes.indexOf(0xa9); // splits "é" here and "✓" six bytes later
    expect(await parse([bytes.slice(0, cut), bytes.slice(cut, cut + 6), bytes.slice(cut + 6)])).toEqual([{ event: undefined, data: 'héllo ✓' }]);
  });

  it('delivers a final event that lacks its blank line, and nothing for an empty stream', async () => {
    expect(await parse(['data: [DONE]'])).toEqual([{ event: undefined, data: '[DONE]' }]);
    expect(await parse([])).toEqual([]);
  });

  it('keeps data without a space after the colon, and an empty data line', async () => {
    expect(await parse(['data:x\n\ndata:\n\n'])).toEqual([
      { event: undefined, data: 'x' },
      { event: undefined, data: '' },
    ]);
  });
});
