import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../../src/evals/retrieval-metrics.ts';
import { readScifactCorpus, readScifactTrain } from './scifact-data.ts';
import { bm25Run, buildBm25 } from './scifact-runs.ts';

describe('plain BM25 on SciFact train', () => {
  it('reproduces the Lucene reference (0.665 nDCG@10, 0.903 R@100)', () => {
    const corpus = readScifactCorpus();
    const { queries, qrels } = readScifactTrain();
    const index = buildBm25(corpus, { k1: 0.9, b: 0.4, analyzer: { stopwords: true, stem: false } });
    const run = bm25Run(index, queries);
    const { mean, evaluatedQueries } = evaluateRun(new Map([...run].map(([q, hits]) => [q, hits.map((h) => h.id)])), qrels);
    expect(evaluatedQueries).toBe(809);
    expect(Math.abs(mean.ndcg - 0.665)).toBeLessThan(0.005);
    expect(Math.abs(mean.recall - 0.903)).toBeLessThan(0.005);
  });
});
