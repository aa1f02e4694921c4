/**
 * SciFact (BEIR) train-split retrieval benchmark for plumb's retrieval parts.
 *   npx tsx bench/scifact/run.ts
 * Writes bench/scifact/results.json and bench/scifact/RESULTS.md. Tuning and reporting on the
 * same split overfits: the grid is kept small on purpose, and the numbers are optimistic.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../src/core/hash.ts';
import type { NewChunk } from '../../src/core/document.ts';
import { evaluateRun, type Qrels } from '../../src/evals/retrieval-metrics.ts';
import { SifEmbedder } from '../../src/providers/offline/sif-embedder.ts';
import { chunkDocument } from '../../src/rag/ingest/chunking/chunk-document.ts';
import { createAnalyzer } from '../../src/rag/retrieve/analyzer.ts';
import { Retriever, RETRIEVER_DEFAULTS } from '../../src/rag/retrieve/retriever.ts';
import { expandQueryRm3 } from '../../src/rag/retrieve/rm3.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { machineInfo, machineLine } from './machine.ts';
import { readScifactCorpus, readScifactTrain, type CorpusDoc } from './scifact-data.ts';
import { bm25Run, buildBm25, DEPTH, embedCorpus, rrfRun, scoreBlendRun, vectorRun, type Bm25Config, type ScoredRun } from './scifact-runs.ts';

interface Row {
  name: string;
  family: 'bm25' | 'vector' | 'hybrid' | 'end-to-end';
  ndcg10: number;
  recall100: number;
  mrr10: number;
  msPerQuery: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = readScifactCorpus();
const { queries, qrels } = readScifactTrain();
const rows: Row[] = [];

function record(name: string, family: Row['family'], run: ScoredRun, msPerQuery: number, judged: Qrels = qrels): Row {
  const ids = new Map([...run].map(([q, hits]) => [q, hits.map((h) => h.id)]));
  const m = evaluateRun(ids, judged, { ndcgAt: 10, recallAt: 100, mrrAt: 10 });
  const row: Row = { name, family, ndcg10: round(m.mean.ndcg), recall100: round(m.mean.recall), mrr10: round(m.mean.mrr), msPerQuery: round(msPerQuery, 3) };
  rows.push(row);
  console.log(`${name.padEnd(64)} nDCG@10 ${row.ndcg10.toFixed(4)}  R@100 ${row.recall100.toFixed(4)}  MRR@10 ${row.mrr10.toFixed(4)}  ${row.msPerQuery} ms/q`);
  return row;
}

function timed<T>(fn: () => T): { value: T; msPerQuery: number } {
  const started = performance.now();
  const value = fn();
  return { value, msPerQuery: (performance.now() - started) / queries.length };
}

function describeBm25(c: Bm25Config): string {
  const analyzer = `${c.analyzer.stem ? 'porter' : 'no stem'}${c.analyzer.stopwords ? '+stop' : ''}`;
  const fields = c.titleWeight === undefined ? 'title+text one field' : `BM25F title×${c.titleWeight}`;
  return `bm25 k1=${c.k1} b=${c.b} ${analyzer}, ${fields}`;
}

// 1. BM25: the plain baseline, then a small grid.
const plain: Bm25Config = { k1: 0.9, b: 0.4, analyzer: { stopwords: true, stem: false } };
const bm25Configs: Bm25Config[] = [
  plain,
  { k1: 0.9, b: 0.4, analyzer: { stopwords: false, stem: false } },
  { k1: 0.9, b: 0.4, analyzer: { stopwords: true, stem: true } },
];
for (const k1 of [0.9, 1.2]) for (const b of [0.4, 0.75]) for (const titleWeight of [1, 2]) bm25Configs.push({ k1, b, analyzer: { stopwords: true, stem: true }, titleWeight });

const bm25Runs = new Map<Bm25Config, ScoredRun>();
let bestBm25: { config: Bm25Config; row: Row } | undefined;
for (const config of bm25Configs) {
  const index = buildBm25(corpus, config);
  const { value, msPerQuery } = timed(() => bm25Run(index, queries));
  bm25Runs.set(config, value);
  const row = record(describeBm25(config), 'bm25', value, msPerQuery);
  if (!bestBm25 || row.ndcg10 > bestBm25.row.ndcg10) bestBm25 = { config, row };
}
const best = bestBm25!.config;

// 2. RM3 on the best BM25.
{
  const index = buildBm25(corpus, best);
  const analyze = createAnalyzer(best.analyzer);
  const docTerms = new Map(corpus.map((d) => [d.id, analyze(`${d.title} ${d.text}`)]));
  for (const originalQueryWeight of [0.5, 0.7]) {
    const { value, msPerQuery } = timed(() => {
      const run: ScoredRun = new Map();
      for (const q of queries) {
        const first = index.search(q.text, 10);
        const expanded = expandQueryRm3(analyze(q.text), first.map((h) => ({ terms: docTerms.get(h.id) ?? [], score: h.score })), { originalQueryWeight });
        run.set(q.id, index.searchWeighted(expanded, DEPTH));
      }
      return run;
    });
    record(`${describeBm25(best)} + RM3 (10 docs, 10 terms, orig ${originalQueryWeight})`, 'bm25', value, msPerQuery);
  }
}

// 3. Dense SIF vectors, then fusions with the plain and the best BM25.
const embedder = new SifEmbedder();
await embedder.ready();
const embedStarted = performance.now();
const vectors = await embedCorpus(embedder, corpus);
const embedMs = performance.now() - embedStarted;
const vecStarted = performance.now();
const vecRun = await vectorRun(embedder, vectors, queries);
record(`vector: SIF (${embedder.modelId}), exact cosine`, 'vector', vecRun, (performance.now() - vecStarted) / queries.length);

for (const [label, config] of [['plain', plain], ['best', best]] as const) {
  const lexical = bm25Runs.get(config)!;
  for (const weight of [0.1, 0.2, 0.3, 0.5, 1]) record(`hybrid RRF(k=60) ${label} bm25 + ${weight}·vector`, 'hybrid', rrfRun(lexical, vecRun, weight), 0);
  for (const weight of [0.1, 0.2, 0.3]) record(`hybrid score blend ${label} bm25 ${1 - weight} + vector ${weight}`, 'hybrid', scoreBlendRun(lexical, vecRun, weight), 0);
}

// 4. Chunked documents (128-token chunks, 16 overlap), document score = its best chunk.
{
  const chunkCorpus: CorpusDoc[] = [];
  const docOfChunk = new Map<string, string>();
  for (const doc of corpus) {
    chunkDocument({ text: doc.text, mimeType: 'text/plain' }, { maxTokens: 128, overlapTokens: 16 }).forEach((chunk, i) => {
      const id = `${doc.id}#${i}`;
      docOfChunk.set(id, doc.id);
      chunkCorpus.push({ id, title: doc.title, text: chunk.text });
    });
  }
  const toDocs = (run: ScoredRun): ScoredRun =>
    new Map(
      [...run].map(([q, hits]) => {
        const seen = new Set<string>();
        const docs = hits.flatMap((h) => {
          const doc = docOfChunk.get(h.id)!;
          if (seen.has(doc)) return [];
          seen.add(doc);
          return [{ id: doc, score: h.score }];
        });
        return [q, docs.slice(0, DEPTH)];
      }),
    );
  const index = buildBm25(chunkCorpus, best);
  const { value, msPerQuery } = timed(() => new Map(queries.map((q) => [q.id, index.search(q.text, 3 * DEPTH)])));
  const lexical = toDocs(value);
  record(`${describeBm25(best)}, ${chunkCorpus.length} chunks of ≤128 tokens, max over chunks`, 'bm25', lexical, msPerQuery);
  const chunkVectors = await embedCorpus(embedder, chunkCorpus);
  const { vectors: qv } = await embedder.embed(queries.map((q) => q.text), { purpose: 'query' });
  const dense = toDocs(new Map(queries.map((q, i) => [q.id, chunkVectors.search(qv[i]!, 3 * DEPTH)])));
  record(`vector SIF, ${chunkCorpus.length} chunks, max over chunks`, 'vector', dense, 0);
  record(`hybrid RRF(k=60) chunked best bm25 + 0.3·vector`, 'hybrid', rrfRun(lexical, dense, 0.3), 0);
}

// 5. End to end: the product Retriever (defaults) over a real SqliteStore, one chunk per document.
const endToEnd = await runRetrieverEndToEnd();

const machine = machineInfo();
const results = {
  benchmark: 'SciFact train (BEIR): 5,183 abstracts, 809 queries, 919 qrels',
  command: 'npx tsx bench/scifact/run.ts',
  machine,
  corpusEmbedMs: Math.round(embedMs),
  retrieverDefaults: RETRIEVER_DEFAULTS,
  bestBm25: describeBm25(best),
  rows,
  endToEnd,
};
fs.writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(here, 'RESULTS.md'), renderMarkdown(results.machine, rows));
console.log('wrote bench/scifact/results.json and RESULTS.md');

async function runRetrieverEndToEnd(): Promise<{ ingestMs: number; loadMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
  const store = SqliteStore.open({ path: path.join(dir, 'scifact.db') });
  try {
    const tenant = 'scifact';
    await store.ensureTenant(tenant);
    const ingestStarted = performance.now();
    for (let start = 0; start < corpus.length; start += 512) {
      const batch = corpus.slice(start, start + 512);
      const { vectors: vs } = await embedder.embed(batch.map((d) => `${d.title}\n${d.text}`), { purpose: 'document' });
      for (const [i, doc] of batch.entries()) {
        const chunk: NewChunk = {
          id: `${doc.id}#0`, documentId: doc.id, ordinal: 0, text: doc.text, headingPath: [], charStart: 0, charEnd: doc.text.length,
          tokenCount: 0, contentHash: sha256(doc.text), metadata: { title: doc.title, source: `scifact/${doc.id}` }, vector: vs[i]!,
        };
        await store.putDocument(
          tenant,
          { id: doc.id, source: `scifact/${doc.id}`, title: doc.title, mimeType: 'text/plain', contentHash: chunk.contentHash, metadata: {}, charCount: doc.text.length, tokenCount: 0 },
          [chunk],
          embedder.modelId,
        );
      }
    }
    const ingestMs = performance.now() - ingestStarted;
    const retriever = new Retriever(store, { embedder });
    const loadStarted = performance.now();
    await retriever.warm(tenant);
    const loadMs = performance.now() - loadStarted;
    for (const mode of ['bm25', 'hybrid'] as const) {
      const run: ScoredRun = new Map();
      const started = performance.now();
      for (const q of queries) {
        const result = await retriever.retrieve(tenant, q.text, { k: DEPTH, mode });
        run.set(q.id, result.chunks.map((c) => ({ id: c.chunk.documentId, score: c.score })));
      }
      record(`Retriever ${mode} (defaults) over SqliteStore, k=${DEPTH}`, 'end-to-end', run, (performance.now() - started) / queries.length);
    }
    return { ingestMs: Math.round(ingestMs), loadMs: Math.round(loadMs) };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function renderMarkdown(machine: ReturnType<typeof machineInfo>, table: Row[]): string {
  const lines = [
    '# SciFact retrieval benchmark (train split)',
    '',
    `Command: \`npx tsx bench/scifact/run.ts\` · machine: ${machineLine(machine)}`,
    '',
    'Corpus 5,183 abstracts, 809 train queries, 919 qrels; nDCG@10 as trec_eval/BEIR. ms/q is',
    'search time per query on one core (0 = computed from cached runs). Tuned and reported on the same',
    'split: the grid is small on purpose, and the tuned rows are optimistic.',
    '',
    '| system | nDCG@10 | R@100 | MRR@10 | ms/q |',
    '|---|---:|---:|---:|---:|',
    ...table.map((r) => `| ${r.name} | ${r.ndcg10.toFixed(3)} | ${r.recall100.toFixed(3)} | ${r.mrr10.toFixed(3)} | ${r.msPerQuery || ''} |`),
    '',
  ];
  return lines.join('\n');
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
