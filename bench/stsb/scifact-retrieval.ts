/**
 * A second opinion for choosing between SIF variants: dense-only retrieval on SciFact train
 * (brute-force cosine over all abstracts, nDCG@10), since plumb embeds passages for retrieval,
 * not sentence pairs. The full retrieval benchmark (BM25, hybrid) lives in its own bench.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DATASETS_DIR, readJsonl } from './datasets.ts';

export interface ScifactRetrievalSet {
  docIds: string[];
  passages: string[];
  queries: Array<{ id: string; text: string }>;
  /** query id → relevant doc ids */
  relevant: Map<string, Set<string>>;
}

/** SciFact corpus, train queries and their relevance judgements. */
export function readScifactRetrievalSet(): ScifactRetrievalSet {
  const dir = path.join(DATASETS_DIR, 'scifact');
  const docs = readJsonl<{ id: string; title: string; text: string }>(path.join(dir, 'corpus.jsonl'));
  const relevant = new Map<string, Set<string>>();
  for (const line of fs.readFileSync(path.join(dir, 'qrels.train.tsv'), 'utf8').split('\n').slice(1)) {
    const [queryId, docId, score] = line.trim().split('\t');
    if (!queryId || !docId || Number(score) <= 0) continue;
    if (!relevant.has(queryId)) relevant.set(queryId, new Set());
    relevant.get(queryId)!.add(docId);
  }
  const queries = readJsonl<{ id: string; text: string }>(path.join(dir, 'queries.train.jsonl')).filter((q) => relevant.has(q.id));
  return { docIds: docs.map((d) => String(d.id)), passages: docs.map((d) => `${d.title}. ${d.text}`), queries, relevant };
}

/** Mean nDCG@10 (binary relevance) of ranking every passage by cosine with each query. */
export function denseNdcgAt10(set: ScifactRetrievalSet, docVectors: Float32Array[], queryVectors: Float32Array[]): number {
  let total = 0;
  set.queries.forEach((query, qi) => {
    const q = queryVectors[qi]!;
    const scored = docVectors.map((d, di) => {
      let dot = 0;
      for (let k = 0; k < q.length; k++) dot += q[k]! * d[k]!;
      return { di, dot };
    });
    scored.sort((x, y) => y.dot - x.dot);
    const relevant = set.relevant.get(query.id)!;
    let dcg = 0;
    scored.slice(0, 10).forEach((hit, rank) => {
      if (relevant.has(set.docIds[hit.di]!)) dcg += 1 / Math.log2(rank + 2);
    });
    let ideal = 0;
    for (let rank = 0; rank < Math.min(10, relevant.size); rank++) ideal += 1 / Math.log2(rank + 2);
    total += dcg / ideal;
  });
  return total / set.queries.length;
}
