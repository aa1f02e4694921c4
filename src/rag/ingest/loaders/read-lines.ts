/** Streams a UTF-8 text file line by line, strictly decoded, without holding the file in memory. */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { binaryMessage, looksBinary } from '../decode-text.ts';

/** Thrown inside the stream when the bytes are not text; the loader turns it into a skip. */
export class NotTextError extends Error {
  constructor(
    readonly reason: 'binary' | 'invalid_utf8',
    message: string,
  ) {
    super(message);
  }
}

/** Yields each line (without its line break) with its 1-based number. */
export async function* readLines(filePath: string): AsyncGenerator<{ lineNumber: number; line: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let lineNumber = 0;
  let first = true;
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (first && looksBinary(chunk)) throw new NotTextError('binary', binaryMessage(chunk));
    first = false;
    pending += decodeOrThrow(decoder, chunk, true);
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline !== -1) {
      lineNumber++;
      yield { lineNumber, line: stripCarriageReturn(pending.slice(start, newline)) };
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decodeOrThrow(decoder, undefined, false);
  if (pending !== '') yield { lineNumber: lineNumber + 1, line: stripCarriageReturn(pending) };
}

function decodeOrThrow(decoder: TextDecoder, chunk: Buffer | undefined, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    throw new NotTextError('invalid_utf8', 'file is not valid UTF-8; re-save it as UTF-8 and ingest again');
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
