import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlumbError } from '../core/errors.ts';
import {
  averagePrecisionAtK,
  evaluateRun,
  hitRateAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  queryMetrics,
  readBeirQrels,
  readBeirQueries,
  recallAtK,
  retrievalScores,
} from './retrieval-metrics.ts';

const graded = new Map([
  ['d1', 2],
  ['d2', 1],
  ['d9', 0],
]);

describe('ndcgAtK', () => {
  it('uses linear gain and a log2(rank + 1) discount (trec_eval/BEIR)', () => {
    // Ranked: d3 (0), d2 (1), d1 (2). DCG = 1/log2(3) + 2/log2(4) = 0.63093 + 1
    // IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.63093
    const expected = (1 / Math.log2(3) + 2 / 2) / (2 + 1 / Math.log2(3));
    expect(ndcgAtK(['d3', 'd2', 'd1'], graded, 10)).toBeCloseTo(expected, 12);
    expect(ndcgAtK(['d1', 'd2'], graded, 10)).toBeCloseTo(1, 12);
  });

  it('cuts at k and ignores duplicated ids', () => {
    expect(ndcgAtK(['d3', 'd1'], graded, 1)).toBe(0);
    expect(ndcgAtK(['d2', 'd2'], new Map([['d2', 1], ['d5', 1]]), 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
  });

  it('is 0 when nothing is relevant', () => {
    expect(ndcgAtK(['d1'], new Map([['d1', 0]]), 10)).toBe(0);
  });
});

describe('recallAtK and mrrAtK', () => {
  it('counts relevant (grade > 0) documents found in the top k', () => {
    expect(recallAtK(['d1', 'd9', 'd7'], graded, 3)).toBe(0.5);
    expect(recallAtK(['d7', 'd1', 'd2'], graded, 2)).toBe(0.5);
    expect(recallAtK(['d7', 'd1', 'd2'], graded, 3)).toBe(1);
  });

  it('takes 1 / rank of the first relevant document within k', () => {
    expect(mrrAtK(['d9', 'd7', 'd2'], graded, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAtK(['d9', 'd7', 'd2'], graded, 2)).toBe(0);
  });
});

describe('evaluateRun', () => {
  it('averages over judged queries, counts missing runs as 0 and skips unjudged queries', () => {
    const qrels = new Map([
      ['q1', new Map([['a', 1]])],
      ['q2', new Map([['b', 1]])],
      ['q3', new Map([['c', 0]])],
    ]);
    const run = new Map([
      ['q1', ['a']],
      ['q3', ['c']],
      ['q4', ['x']],
    ]);
    const result = evaluateRun(run, qrels);
    expect(result.evaluatedQueries).toBe(2);
    expect(result.skippedQueries).toBe(2);
    // q1: ['a'] with one relevant → P@10 = 1/10, AP = 1, hit = 1; q2 is all zeros.
    expect(result.mean).toEqual({ ndcg: 0.5, recall: 0.5, mrr: 0.5, precision: 0.05, map: 0.5, hitRate: 0.5 });
    expect(result.perQuery.get('q2')).toEqual({ ndcg: 0, recall: 0, mrr: 0, precision: 0, map: 0, hitRate: 0 });
  });

  it('passes the new cutoffs through', () => {
    const qrels = new Map([['q1', new Map([['a', 1], ['b', 1]])]]);
    const result = evaluateRun(new Map([['q1', ['x', 'a', 'b']]]), qrels, { precisionAt: 2, mapAt: 2, hitAt: 1 });
    expect(result.perQuery.get('q1')).toMatchObject({ precision: 0.5, map: 0.25, hitRate: 0 });
  });
});

describe('precisionAtK, averagePrecisionAtK and hitRateAtK (hand-computed)', () => {
  // graded: d1 (2), d2 (1) relevant, d9 judged not relevant: R = 2.
  const ranked = ['d3', 'd2', 'd9', 'd1'];

  it('precision divides the distinct relevant documents in the top k by k', () => {
    expect(precisionAtK(ranked, graded, 1)).toBe(0);
    expect(precisionAtK(ranked, graded, 2)).toBe(0.5);
    expect(precisionAtK(ranked, graded, 4)).toBe(0.5);
    expect(precisionAtK(ranked, graded, 10)).toBe(0.2); // trec_eval P_10: fewer retrieved still divides by 10
    expect(precisionAtK(['d1', 'd1'], graded, 2)).toBe(0.5); // a duplicate is not a second hit
  });

  it('average precision sums precision at each relevant rank over all relevant documents', () => {
    // relevant at ranks 2 and 4: (1/2 + 2/4) / 2
    expect(averagePrecisionAtK(ranked, graded)).toBeCloseTo(0.5, 12);
    // cut at 2: only rank 2 counts, still divided by R = 2
    expect(averagePrecisionAtK(ranked, graded, 2)).toBeCloseTo(0.25, 12);
    // duplicates are skipped but keep their rank: d1 at 1 (1/1), d2 at 4 (2/4) → 0.75
    expect(averagePrecisionAtK(['d1', 'd1', 'd7', 'd2'], graded)).toBeCloseTo(0.75, 12);
    expect(averagePrecisionAtK(['d1'], new Map([['d1', 0]]))).toBe(0);
  });

  it('hit rate is 1 when any relevant document is in the top k', () => {
    expect(hitRateAtK(ranked, graded, 1)).toBe(0);
    expect(hitRateAtK(ranked, graded, 2)).toBe(1);
    expect(hitRateAtK([], graded, 10)).toBe(0);
  });

  it('queryMetrics gives one record with every metric', () => {
    expect(queryMetrics(ranked, graded, { ndcgAt: 10, recallAt: 2, mrrAt: 10, precisionAt: 4, hitAt: 1 })).toEqual({
      ndcg: ndcgAtK(ranked, graded, 10),
      recall: 0.5,
      mrr: 0.5,
      precision: 0.5,
      map: 0.5,
      hitRate: 0,
    });
  });
});

describe('retrievalScores', () => {
  it('names each metric with its cutoff and explains the value', () => {
    const scores = retrievalScores(['d3', 'd2', 'd9', 'd1'], graded, { precisionAt: 5, hitAt: 1 });
    expect(scores.map((s) => s.name)).toEqual(['ndcg@10', 'recall@100', 'mrr@10', 'precision@5', 'map', 'hit_rate@1']);
    expect(scores.find((s) => s.name === 'map')?.value).toBeCloseTo(0.5, 12);
    expect(scores.find((s) => s.name === 'precision@5')?.value).toBeCloseTo(0.4, 12);
    expect(scores[0]!.reason).toBe('2 of 2 relevant documents retrieved, the first at rank 2');
    expect(scores[0]!.method).toBe('exact');
    expect(retrievalScores([], graded, { mapAt: 5 }).map((s) => [s.name, s.value])).toContainEqual(['map@5', 0]);
  });

  it('is undetermined, not 0, when the case has no relevant judgement', () => {
    const scores = retrievalScores(['d1'], new Map([['d1', 0]]));
    expect(scores).toHaveLength(6);
    for (const score of scores) {
      expect(score.value).toBeNull();
      expect(score.reason).toMatch(/no document judged relevant/);
    }
  });
});

describe('BEIR readers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));

  it('reads qrels with and without a header line', () => {
    const withHeader = path.join(dir, 'h.tsv');
    fs.writeFileSync(withHeader, 'query-id\tcorpus-id\tscore\n1\tdocA\t1\n1\tdocB\t2\n2\tdocC\t1\n');
    const bare = path.join(dir, 'b.tsv');
    fs.writeFileSync(bare, '1\tdocA\t1\r\n');
    const qrels = readBeirQrels(withHeader);
    expect(qrels.get('1')).toEqual(new Map([['docA', 1], ['docB', 2]]));
    expect(qrels.get('2')?.get('docC')).toBe(1);
    expect(readBeirQrels(bare).get('1')?.get('docA')).toBe(1);
  });

  it('rejects a malformed qrels line after the first with the line number', () => {
    const bad = path.join(dir, 'bad.tsv');
    fs.writeFileSync(bad, '1\tdocA\t1\n2 docB 1\n');
    expect(() => readBeirQrels(bad)).toThrow(/bad\.tsv:2/);
  });

  it('reads queries with _id or id', () => {
    const file = path.join(dir, 'q.jsonl');
    fs.writeFileSync(file, '{"_id": "7", "text": "first"}\n\n{"id": 8, "text": "second"}\n');
    expect(readBeirQueries(file)).toEqual([
      { id: '7', text: 'first' },
      { id: '8', text: 'second' },
    ]);
  });

  it('says which file is missing', () => {
    expect(() => readBeirQueries(path.join(dir, 'none.jsonl'))).toThrow(PlumbError);
  });
});
