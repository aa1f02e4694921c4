/**
 * Retrieval latency at 10k and 100k chunks: the product Retriever over a real SqliteStore (query
 * embedding, BM25, exact vector scan, fusion and fetching the k chunks all included), for the 809
 * SciFact train queries in bm25, vector and hybrid mode; plus index build time and memory.
 *   npx tsx bench/retrieval-latency/run.ts [chunkCounts…]   (default: 10000 100000)
 * Writes bench/retrieval-latency/results.json and RESULTS.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { NewChunk } from '../../src/core/document.ts';
import { sha256 } from '../../src/core/hash.ts';
import { SifEmbedder } from '../../src/providers/offline/sif-embedder.ts';
import { Retriever, type RetrievalMode } from '../../src/rag/retrieve/retriever.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { machineInfo, machineLine } from '../machine.ts';
import { readScifactCorpus, readScifactTrain } from '../scifact/scifact-data.ts';
import { scaleCorpus } from './scaled-corpus.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const here = path.dirname(fileURLToPath(import.meta.url));
const scales = process.argv.slice(2).map(Number).filter((n) => n > 0);
const chunkCounts = scales.length ? scales : [10_000, 100_000];
const K = 8;
const WARMUP = 50;

const corpus = readScifactCorpus();
const { queries } = readScifactTrain();
const embedder = new SifEmbedder();
await embedder.ready();

interface ModeResult {
  mode: RetrievalMode;
  usedMode: RetrievalMode;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

interface ScaleResult {
  chunks: number;
  /** Writing the chunks (with inline vectors) to SQLite, one transaction per chunk's document. */
  storeWriteMs: number;
  embedMs: number;
  /** Loading the tenant's BM25 and vector indexes from the store. */
  indexLoadMs: number;
  /** Heap + array buffers held by the loaded index (after GC). */
  indexMemoryMb: number;
  bm25EstimatedMb: number;
  vectorEstimatedMb: number;
  vocabulary: number;
  modes: ModeResult[];
}

const results: ScaleResult[] = [];
for (const count of chunkCounts) results.push(await measureScale(count));

const machine = machineInfo();
fs.writeFileSync(
  path.join(here, 'results.json'),
  `${JSON.stringify({ benchmark: 'retrieval latency, SciFact queries over scaled SciFact chunks', command: 'npx tsx bench/retrieval-latency/run.ts', k: K, machine, results }, null, 2)}\n`,
);
fs.writeFileSync(path.join(here, 'RESULTS.md'), renderMarkdown());
console.log('wrote bench/retrieval-latency/results.json and RESULTS.md');

async function measureScale(count: number): Promise<ScaleResult> {
  const docs = scaleCorpus(corpus, count);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
  const store = SqliteStore.open({ path: path.join(dir, 'latency.db') });
  try {
    const tenant = 'bench';
    await store.ensureTenant(tenant);
    let embedMs = 0;
    let storeWriteMs = 0;
    for (let start = 0; start < docs.length; start += 1000) {
      const batch = docs.slice(start, start + 1000);
      const embedStarted = performance.now();
      const { vectors } = await embedder.embed(batch.map((d) => `${d.title}\n${d.text}`), { purpose: 'document' });
      embedMs += performance.now() - embedStarted;
      const writeStarted = performance.now();
      for (const [i, doc] of batch.entries()) {
        const chunk: NewChunk = {
          id: `${doc.id}#0`, documentId: doc.id, ordinal: 0, text: doc.text, headingPath: [], charStart: 0, charEnd: doc.text.length,
          tokenCount: 0, contentHash: sha256(doc.text), metadata: { title: doc.title }, vector: vectors[i]!,
        };
        await store.putDocument(
          tenant,
          { id: doc.id, source: `scifact/${doc.id}`, title: doc.title, mimeType: 'text/plain', contentHash: chunk.contentHash, metadata: {}, charCount: doc.text.length, tokenCount: 0 },
          [chunk],
          embedder.modelId,
        );
      }
      storeWriteMs += performance.now() - writeStarted;
    }

    gc();
    const before = process.memoryUsage();
    const retriever = new Retriever(store, { embedder });
    const loadStarted = performance.now();
    await retriever.warm(tenant);
    const indexLoadMs = performance.now() - loadStarted;
    gc();
    const after = process.memoryUsage();
    const indexMemoryMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;
    const stats = retriever.indexStats(tenant)!;

    const modes: ModeResult[] = [];
    for (const mode of ['bm25', 'vector', 'hybrid'] as const) {
      for (const q of queries.slice(0, WARMUP)) await retriever.retrieve(tenant, q.text, { k: K, mode });
      const times: number[] = [];
      let usedMode: RetrievalMode = mode;
      for (const q of queries) {
        const started = performance.now();
        const result = await retriever.retrieve(tenant, q.text, { k: K, mode });
        times.push(performance.now() - started);
        usedMode = result.mode;
      }
      times.sort((a, b) => a - b);
      const at = (p: number): number => round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
      modes.push({ mode, usedMode, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: round(times.reduce((a, b) => a + b, 0) / times.length) });
      console.log(`${count} chunks, ${mode}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
    }
    const result: ScaleResult = {
      chunks: count,
      storeWriteMs: Math.round(storeWriteMs),
      embedMs: Math.round(embedMs),
      indexLoadMs: Math.round(indexLoadMs),
      indexMemoryMb: round(indexMemoryMb, 1),
      bm25EstimatedMb: round(stats.bm25Bytes / 2 ** 20, 1),
      vectorEstimatedMb: round(stats.vectorBytes / 2 ** 20, 1),
      vocabulary: stats.vocabulary,
      modes,
    };
    console.log(result);
    return result;
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function renderMarkdown(): string {
  return [
    '# Retrieval latency',
    '',
    `Command: \`npx tsx bench/retrieval-latency/run.ts\` · machine: ${machineLine(machine)}`,
    '',
    `The product \`Retriever\` over a real SqliteStore, k=${K}, all ${queries.length} SciFact train queries after ${WARMUP} warm-up`,
    'queries per mode, one at a time on one core. Each latency includes the query embedding (SIF), the BM25 search,',
    'the exact SIMD vector scan, fusion and fetching the k chunks from SQLite. Chunks are SciFact abstracts scaled',
    'up by copies that drop ~10% of their words (bench/retrieval-latency/scaled-corpus.ts). The machine is shared',
    '(2 cores, other jobs running), so tails are noisy.',
    '',
    '| chunks | mode | p50 ms | p95 ms | p99 ms | mean ms |',
    '|---:|---|---:|---:|---:|---:|',
    ...results.flatMap((r) => r.modes.map((m) => `| ${r.chunks.toLocaleString('en')} | ${m.mode}${m.usedMode !== m.mode ? ` (ran as ${m.usedMode})` : ''} | ${m.p50} | ${m.p95} | ${m.p99} | ${m.mean} |`)),
    '',
    '| chunks | embed corpus ms | write to SQLite ms | load index from store ms | index memory MB (measured) | BM25 MB (est.) | vectors MB (est.) | vocabulary |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.chunks.toLocaleString('en')} | ${r.embedMs} | ${r.storeWriteMs} | ${r.indexLoadMs} | ${r.indexMemoryMb} | ${r.bm25EstimatedMb} | ${r.vectorEstimatedMb} | ${r.vocabulary.toLocaleString('en')} |`),
    '',
  ].join('\n');
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
