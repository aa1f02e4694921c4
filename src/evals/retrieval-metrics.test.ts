import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlumbError } from '../core/errors.ts';
import { evaluateRun, mrrAtK, ndcgAtK, readBeirQrels, readBeirQueries, recallAtK } from './retrieval-metrics.ts';

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
    expect(result.mean).toEqual({ ndcg: 0.5, recall: 0.5, mrr: 0.5 });
    expect(result.perQuery.get('q2')).toEqual({ ndcg: 0, recall: 0, mrr: 0 });
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
