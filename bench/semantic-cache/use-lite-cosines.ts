// The cosine of each QQP dev pair under USE-lite (Universal Sentence Encoder lite, 512-d), for the
// `usecos` feature of tune.ts and the default verifier fitted by run.ts, through plumb's own
// UseLiteEncoder (src/providers/offline/use-lite). It embeds ~50–66 short questions/s here, so the
// 40,000 questions take ~10–15 minutes on one thread (USE_LITE_THREADS, default 2), cached in $TMPDIR/plumb-bench/ (not committed: derived from
// the dataset), with every question's vector for run.ts's replay through the real cache.
//   npx tsx bench/semantic-cache/use-lite-cosines.ts [FILE [FIRST_N_PAIRS]]
// (FIRST_N_PAIRS writes *.first-N files beside the cache, to compare a sample with it.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UseLiteEncoder, USE_LITE_DIMENSIONS } from '../../src/providers/offline/use-lite/use-lite-encoder.ts';
import { dot } from './pair-data.ts';

export const USE_LITE_COSINES = join(tmpdir(), 'plumb-bench', 'qqp-use-lite-cosines.json');
/** Every pair's two unit vectors (a then b), 512 float32 each, in file order. */
export const USE_LITE_VECTORS = join(tmpdir(), 'plumb-bench', 'qqp-use-lite-vectors.f32');

/** Pair index → USE-lite cosine, from the cache this script writes. */
export function readUseLiteCosines(): number[] {
  if (!existsSync(USE_LITE_COSINES)) throw new Error(`no ${USE_LITE_COSINES}: run npx tsx bench/semantic-cache/use-lite-cosines.ts first (~20 min)`);
  return JSON.parse(readFileSync(USE_LITE_COSINES, 'utf8')) as number[];
}

/** Pair index → [vector of a, vector of b] (unit length), from the file this script writes. */
export function readUseLiteVectors(): Array<[Float32Array, Float32Array]> {
  if (!existsSync(USE_LITE_VECTORS)) throw new Error(`no ${USE_LITE_VECTORS}: run npx tsx bench/semantic-cache/use-lite-cosines.ts first (~20 min)`);
  const bytes = readFileSync(USE_LITE_VECTORS);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const out: Array<[Float32Array, Float32Array]> = [];
  for (let o = 0; o < all.length; o += 2 * USE_LITE_DIMENSIONS) out.push([all.slice(o, o + USE_LITE_DIMENSIONS), all.slice(o + USE_LITE_DIMENSIONS, o + 2 * USE_LITE_DIMENSIONS)]);
  return out;
}

async function main(): Promise<void> {
  const file = process.argv[2] ?? '/work/shared/datasets/qqp/pairs.dev.jsonl';
  const limit = process.argv[3] === undefined ? Infinity : Number(process.argv[3]);
  const pairs = readFileSync(file, 'utf8').trim().split('\n').slice(0, limit).map((line) => JSON.parse(line) as { a: string; b: string });
  // The encoder the semantic cache runs (its worker normalises each vector); one thread per core
  // here, each encoding one side of a batch (each thread's model gives the same vectors).
  const encoder = new UseLiteEncoder({ threads: Number(process.env['USE_LITE_THREADS'] ?? 2) });
  const cosines: number[] = [];
  const vectors = new Float32Array(pairs.length * 2 * USE_LITE_DIMENSIONS);
  for (let i = 0; i < pairs.length; i += 50) {
    const batch = pairs.slice(i, i + 50);
    const [{ vectors: va }, { vectors: vb }] = await Promise.all([encoder.embed(batch.map((p) => p.a)), encoder.embed(batch.map((p) => p.b))]);
    batch.forEach((_, j) => {
      cosines.push(Math.round(dot(va[j]!, vb[j]!) * 1e6) / 1e6);
      vectors.set(va[j]!, (i + j) * 2 * USE_LITE_DIMENSIONS);
      vectors.set(vb[j]!, ((i + j) * 2 + 1) * USE_LITE_DIMENSIONS);
    });
    if (i % 2000 === 0) process.stderr.write(`${i}/${pairs.length} pairs\n`);
  }
  await encoder.close();
  const out = Number.isFinite(limit) ? (f: string): string => `${f}.first-${limit}` : (f: string): string => f;
  mkdirSync(dirname(USE_LITE_COSINES), { recursive: true });
  writeFileSync(out(USE_LITE_COSINES), JSON.stringify(cosines));
  writeFileSync(out(USE_LITE_VECTORS), vectors);
  process.stderr.write(`wrote ${out(USE_LITE_COSINES)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
