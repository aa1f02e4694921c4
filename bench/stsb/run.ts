/**
 * Chooses plumb's offline embedder: STS-B dev Spearman and SciFact passages/s for a plain mean of
 * word vectors, SIF without and with common-component removal (float32 and int8 caches), and
 * USE-lite as a reference when bench/peers is installed. The SIF smoothing `a` is tuned on STS-B
 * train only; dev is reported, never tuned on. Also times the word-vector cache (JSON parse vs
 * streaming conversion vs binary load, each in a fresh process).
 *
 *   npx tsx bench/stsb/run.ts            (add --skip-use to leave out USE-lite, --skip-load for the load timings)
 *
 * Writes bench/stsb/results.json and bench/stsb/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddingModel } from '../../src/core/model.ts';
import { DEFAULT_SIF_SMOOTHING, SifEmbedder } from '../../src/providers/offline/sif-embedder.ts';
import { vocabularyRows, wordTokens } from '../../src/providers/offline/sif-embedder-tokens.ts';
import { ensureWordVectorCache, loadWordVectors, type WordVectorDtype } from '../../src/providers/offline/word-vectors.ts';
import { readStsb, type StsPair } from './datasets.ts';
import { denseNdcgAt10, readScifactRetrievalSet } from './scifact-retrieval.ts';
import { renderResultsMarkdown, type BenchResults, type VariantResult } from './report.ts';
import { spearman } from './spearman.ts';
import { loadUseLite } from './use-lite.ts';
import { meanOfWordVectors, sifWithCorpusComponent } from './variants.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-stsb-'));
const SMOOTHING_GRID = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5];

type EmbedFn = (texts: string[]) => Promise<Float32Array[]>;

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

async function stsSpearman(embed: EmbedFn, pairs: StsPair[]): Promise<number> {
  const a = await embed(pairs.map((p) => p.a));
  const b = await embed(pairs.map((p) => p.b));
  return spearman(
    pairs.map((p) => p.score),
    pairs.map((_, i) => cosine(a[i]!, b[i]!)),
  );
}

/** Best of `repeats` timed passes: the machine is shared, and the fastest pass is the least disturbed. */
async function passagesPerSecond(embed: EmbedFn, passages: string[], repeats: number): Promise<number> {
  await embed(passages.slice(0, 50)); // warm-up: JIT and lazy loading are not throughput
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    for (let i = 0; i < passages.length; i += 1000) await embed(passages.slice(i, i + 1000));
    best = Math.max(best, passages.length / ((performance.now() - started) / 1000));
  }
  return best;
}

const viaModel =
  (model: EmbeddingModel): EmbedFn =>
  async (texts) =>
    (await model.embed(texts)).vectors;

function measureLoad(mode: string, dir: string, dtype: WordVectorDtype): { ms: number; peakRssMB: number; rssAfterMB: number } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(HERE, 'measure-load.ts'), mode, dir, dtype], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`measure-load ${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { ms: number; peakRssMB: number; rssAfterMB: number };
}

function scifactOov(passages: string[], rowOfWord: (w: string) => number): BenchResults['scifactOov'] {
  let tokens = 0;
  let unknownTokens = 0;
  const types = new Set<string>();
  const unknownTypes = new Set<string>();
  for (const passage of passages) {
    for (const token of wordTokens(passage)) {
      tokens++;
      types.add(token);
      // A token counts as known when it, or (for hyphenated words) one of its parts, has a vector.
      if (vocabularyRows(token, rowOfWord).rows.length === 0) {
        unknownTokens++;
        unknownTypes.add(token);
      }
    }
  }
  const examples = [...unknownTypes].slice(0, 15);
  return { tokenRate: unknownTokens / tokens, typeRate: unknownTypes.size / types.size, tokens, examples };
}

async function main(): Promise<void> {
  const train = readStsb('train');
  const dev = readStsb('dev');
  const scifact = readScifactRetrievalSet();
  const passages = scifact.passages;
  for (const dtype of ['float32', 'int8'] as const) await ensureWordVectorCache({ cacheDir, dtype });

  console.log('tuning SIF smoothing on STS-B train…');
  const tuning: BenchResults['smoothingOnTrain'] = [];
  for (const smoothing of SMOOTHING_GRID) {
    const withPc = await stsSpearman(viaModel(new SifEmbedder({ cacheDir, smoothing })), train);
    const withoutPc = await stsSpearman(viaModel(new SifEmbedder({ cacheDir, smoothing, commonComponent: 'none' })), train);
    tuning.push({ smoothing, withPc, withoutPc });
    console.log(`  a=${smoothing}: train rho ${withPc.toFixed(4)} (PC removed), ${withoutPc.toFixed(4)} (no PC)`);
  }

  const a = DEFAULT_SIF_SMOOTHING;
  const trainSentences = [...new Set(train.flatMap((p) => [p.a, p.b]))];
  const candidates: Array<{ name: string; embed: EmbedFn; note: string }> = [
    { name: 'mean of word vectors (float32)', embed: viaModel(meanOfWordVectors(cacheDir, 'float32')), note: 'unweighted average' },
    { name: 'SIF, no PC removal (float32)', embed: viaModel(new SifEmbedder({ cacheDir, dtype: 'float32', commonComponent: 'none' })), note: `a=${a}` },
    { name: 'SIF, PC from vectors (float32)', embed: viaModel(new SifEmbedder({ cacheDir, dtype: 'float32' })), note: `a=${a}, component derived from the vectors alone` },
    { name: 'SIF, no PC removal (int8)', embed: viaModel(new SifEmbedder({ cacheDir, commonComponent: 'none' })), note: `a=${a}` },
    { name: 'SIF, PC from vectors (int8) — default', embed: viaModel(new SifEmbedder({ cacheDir })), note: `a=${a}; createOfflineEmbedder()` },
    { name: 'SIF, PC from STS-B train (int8)', embed: viaModel(await sifWithCorpusComponent(cacheDir, 'int8', trainSentences, a)), note: 'component estimated on STS-B train sentences (not shipped)' },
  ];
  if (!args.has('--skip-use')) {
    const use = await loadUseLite();
    if (use) candidates.push({ name: 'USE-lite (@energetic-ai/embeddings)', embed: use, note: '512d, tfjs; reference only, not a dependency' });
    else console.log('USE-lite skipped: run `cd bench/peers && npm install` to include it');
  }

  const variants: VariantResult[] = [];
  for (const candidate of candidates) {
    const isUse = candidate.name.startsWith('USE');
    const rho = await stsSpearman(candidate.embed, dev);
    // USE-lite is ~100× slower; time it on a slice so the bench stays minutes, not an hour.
    const sample = isUse ? passages.slice(0, 300) : passages;
    const rate = await passagesPerSecond(candidate.embed, sample, isUse ? 1 : 3);
    // Dense retrieval over all 5,183 abstracts is an hour for USE-lite at ~10/s: left out for it.
    const ndcg = isUse ? undefined : denseNdcgAt10(scifact, await candidate.embed(passages), await candidate.embed(scifact.queries.map((q) => q.text)));
    variants.push({ name: candidate.name, devSpearman: rho, scifactPassagesPerSecond: rate, passagesTimed: sample.length, scifactDenseNdcg10: ndcg, note: candidate.note });
    console.log(`${candidate.name}: dev rho ${rho.toFixed(4)}, ${rate.toFixed(0)} passages/s, SciFact dense nDCG@10 ${ndcg?.toFixed(4) ?? '—'}`);
  }

  const vectors = await loadWordVectors({ cacheDir });
  const results: BenchResults = {
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      date: new Date().toISOString(),
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
      command: 'npx tsx bench/stsb/run.ts',
    },
    data: { stsbTrainPairs: train.length, stsbDevPairs: dev.length, scifactPassages: passages.length },
    defaultSmoothing: a,
    smoothingOnTrain: tuning,
    variants,
    scifactOov: scifactOov(passages, (w) => vectors.rowOfWord(w)),
    load: args.has('--skip-load') ? undefined : measureLoads(),
  };
  fs.writeFileSync(path.join(HERE, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(HERE, 'RESULTS.md'), renderResultsMarkdown(results));
  fs.rmSync(cacheDir, { recursive: true, force: true });
  console.log('wrote bench/stsb/results.json and bench/stsb/RESULTS.md');
}

function measureLoads(): BenchResults['load'] {
  console.log('timing loads in fresh processes…');
  const fresh = (dtype: WordVectorDtype) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-load-'));
    const convert = measureLoad('convert', dir, dtype);
    const load = measureLoad('load', dir, dtype);
    const ready = measureLoad('ready', dir, dtype);
    const cacheBytes = fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
    fs.rmSync(dir, { recursive: true, force: true });
    return { convert, load, ready, cacheMB: Math.round(cacheBytes / 1e6) };
  };
  return { jsonParse: measureLoad('json-parse', cacheDir, 'int8'), float32: fresh('float32'), int8: fresh('int8') };
}

await main();
