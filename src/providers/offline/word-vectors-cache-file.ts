/**
 * The compact binary form of a word vector table: one file holding a header, the vocabulary and
 * the matrix, so one atomic rename publishes all of it. Loading is a single read plus a typed-array
 * view; a CRC-32 over the payload and an exact length check catch truncated or damaged files.
 *
 * Layout (little-endian):
 *   0  magic "PLUMBWV\0"        8  format version (u32)   12 dimensions (u32)   16 rows (u32)
 *   20 dtype (u32: 0 float32, 1 int8 + per-row float32 scale)   24 vocab bytes (u32)
 *   28 CRC-32 of everything after the header (u32)   32 source size (f64)   40 source mtime ms (f64)
 *   64 vocabulary, words joined by "\n", zero-padded to a multiple of 8
 *   then float32: rows × dimensions values; int8: rows float32 scales, then rows × dimensions int8
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { WordVectorTable } from './word-vectors-json-reader.ts';

export type WordVectorDtype = 'float32' | 'int8';

/** Where the cached table came from, so a changed source file invalidates the cache. */
export interface WordVectorSourceStamp {
  size: number;
  mtimeMs: number;
}

/** A table as stored in the cache: float32 rows, or int8 rows with one scale per row. */
export interface StoredWordVectors {
  words: string[];
  dimensions: number;
  dtype: WordVectorDtype;
  /** float32 only. */
  matrix?: Float32Array;
  /** int8 only: value = quantized[i] × scales[row]. */
  quantized?: Int8Array;
  scales?: Float32Array;
  source: WordVectorSourceStamp;
}

const MAGIC = Buffer.from('PLUMBWV\0', 'latin1');
const FORMAT_VERSION = 1;
const HEADER_BYTES = 64;
const DTYPE_CODES: Record<WordVectorDtype, number> = { float32: 0, int8: 1 };

/** Why a cache file was rejected; `null` from validation means it is usable. */
export type CacheRejection = 'missing' | 'truncated' | 'bad-magic' | 'old-format' | 'checksum' | 'stale-source';

function padTo8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Quantizes each row to int8 with its own scale (max |x| / 127), which keeps rare-word rows precise. */
export function quantizeRows(matrix: Float32Array, dimensions: number): { quantized: Int8Array; scales: Float32Array } {
  const rows = matrix.length / dimensions;
  const quantized = new Int8Array(matrix.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * dimensions;
    let max = 0;
    for (let d = 0; d < dimensions; d++) max = Math.max(max, Math.abs(matrix[base + d]!));
    const scale = max / 127 || 1;
    scales[r] = scale;
    for (let d = 0; d < dimensions; d++) quantized[base + d] = Math.round(matrix[base + d]! / scale);
  }
  return { quantized, scales };
}

/** Writes the table to `path` atomically: a unique temp file, fsync, then rename over the target. */
export function writeWordVectorCacheFile(
  path: string,
  table: WordVectorTable,
  dtype: WordVectorDtype,
  source: WordVectorSourceStamp,
): void {
  for (const word of table.words) {
    if (word.includes('\n')) throw new Error(`word ${JSON.stringify(word)} contains a newline; the cache format cannot hold it`);
  }
  const vocab = Buffer.from(table.words.join('\n'), 'utf8');
  const rows = table.words.length;
  const parts: Buffer[] = [vocab, Buffer.alloc(padTo8(vocab.length) - vocab.length)];
  if (dtype === 'float32') {
    parts.push(Buffer.from(table.matrix.buffer, table.matrix.byteOffset, table.matrix.byteLength));
  } else {
    const { quantized, scales } = quantizeRows(table.matrix, table.dimensions);
    parts.push(Buffer.from(scales.buffer), Buffer.from(quantized.buffer));
  }
  let crc = 0;
  for (const part of parts) crc = crc32(part, crc);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(table.dimensions, 12);
  header.writeUInt32LE(rows, 16);
  header.writeUInt32LE(DTYPE_CODES[dtype], 20);
  header.writeUInt32LE(vocab.length, 24);
  header.writeUInt32LE(crc, 28);
  header.writeDoubleLE(source.size, 32);
  header.writeDoubleLE(source.mtimeMs, 40);

  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (const part of [header, ...parts]) writeSync(fd, part);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Reads and checks a cache file. Returns the table, or the reason it cannot be used (the caller
 * rebuilds it). `expectedSource`, when given, must match the stamp the file was built from.
 */
export function readWordVectorCacheFile(
  path: string,
  expectedSource?: WordVectorSourceStamp,
): StoredWordVectors | { rejected: CacheRejection } {
  let file: Uint8Array;
  try {
    file = readFileSync(path);
  } catch {
    return { rejected: 'missing' };
  }
  // Small reads may come from Node's shared pool at an odd offset; typed views need alignment.
  if (file.byteOffset % 8 !== 0) file = new Uint8Array(file);
  return parseCacheBytes(Buffer.from(file.buffer, file.byteOffset, file.length), expectedSource);
}

function parseCacheBytes(file: Buffer, expectedSource: WordVectorSourceStamp | undefined): StoredWordVectors | { rejected: CacheRejection } {
  if (file.length < HEADER_BYTES) return { rejected: 'truncated' };
  if (!file.subarray(0, 8).equals(MAGIC)) return { rejected: 'bad-magic' };
  if (file.readUInt32LE(8) !== FORMAT_VERSION) return { rejected: 'old-format' };
  const dimensions = file.readUInt32LE(12);
  const rows = file.readUInt32LE(16);
  const dtypeCode = file.readUInt32LE(20);
  const vocabBytes = file.readUInt32LE(24);
  const dtype: WordVectorDtype | undefined = dtypeCode === 0 ? 'float32' : dtypeCode === 1 ? 'int8' : undefined;
  if (!dtype) return { rejected: 'bad-magic' };
  const matrixStart = HEADER_BYTES + padTo8(vocabBytes);
  const matrixBytes = dtype === 'float32' ? rows * dimensions * 4 : rows * 4 + rows * dimensions;
  if (file.length !== matrixStart + matrixBytes) return { rejected: 'truncated' };
  if (crc32(file.subarray(HEADER_BYTES)) !== file.readUInt32LE(28)) return { rejected: 'checksum' };
  const source = { size: file.readDoubleLE(32), mtimeMs: file.readDoubleLE(40) };
  if (expectedSource && (expectedSource.size !== source.size || expectedSource.mtimeMs !== source.mtimeMs)) {
    return { rejected: 'stale-source' };
  }
  const words = file.toString('utf8', HEADER_BYTES, HEADER_BYTES + vocabBytes).split('\n');
  if (words.length !== rows) return { rejected: 'checksum' };
  // readFileSync gives large files their own ArrayBuffer, so these are views, not copies.
  const base = file.byteOffset + matrixStart;
  if (dtype === 'float32') {
    return { words, dimensions, dtype, source, matrix: new Float32Array(file.buffer, base, rows * dimensions) };
  }
  return {
    words,
    dimensions,
    dtype,
    source,
    scales: new Float32Array(file.buffer, base, rows),
    quantized: new Int8Array(file.buffer, base + rows * 4, rows * dimensions),
  };
}
