import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { importBeir } from './beir-import.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-beir-'));
const write = (name: string, text: string): string => {
  const target = path.join(dir, name);
  fs.writeFileSync(target, text);
  return target;
};
const queries = write('queries.jsonl', ['{"_id": "1", "text": "what is bm25"}', '{"_id": "2", "text": "dense retrieval"}', '{"_id": "3", "text": "no judgements"}'].join('\n'));
const qrels = write('qrels.tsv', 'query-id\tcorpus-id\tscore\n1\tdA\t2\n1\tdB\t1\n2\tdC\t1\n2\tdGone\t1\n99\tdA\t1\n');
const corpus = write('corpus.jsonl', ['{"_id": "dA", "title": "", "text": "a"}', '{"_id": "dB", "text": "b"}', 'not json', '{"_id": "dC", "text": "c"}'].join('\n'));

describe('importBeir', () => {
  it('turns judged queries into cases with graded relevant documents', async () => {
    const result = await importBeir({ queries, qrels });
    expect(result.cases).toEqual([
      { id: '1', question: 'what is bm25', relevantDocumentIds: { dA: 2, dB: 1 } },
      { id: '2', question: 'dense retrieval', relevantDocumentIds: { dC: 1, dGone: 1 } },
    ]);
    expect(result.queriesWithoutJudgements).toBe(1);
    // Without a corpus only the unknown query can be detected.
    expect(result.problems).toEqual([{ kind: 'unknown_query', id: '99', message: 'qrels judge query "99", which is not in the queries file' }]);
  });

  it('with a corpus, reports judgements of missing documents and bad corpus lines, keeping the judgement', async () => {
    const result = await importBeir({ queries, qrels, corpus });
    expect(result.problems.map((p) => [p.kind, p.id ?? p.line])).toEqual([
      ['bad_line', 3],
      ['unknown_query', '99'],
      ['unknown_document', 'dGone'],
    ]);
    expect(result.problems[2]!.message).toBe('qrels for query "2" name document "dGone", which is not in the corpus');
    expect(result.cases[1]!.relevantDocumentIds).toEqual({ dC: 1, dGone: 1 });
    // The same check from a set of ids already known.
    const fromSet = await importBeir({ queries, qrels, corpus: new Set(['dA', 'dB', 'dC']) });
    expect(fromSet.problems.map((p) => p.kind)).toEqual(['unknown_query', 'unknown_document']);
  });

  it('under strict, throws at the first problem', async () => {
    await expect(importBeir({ queries, qrels, strict: true })).rejects.toThrow(/query "99"/);
  });

  it('refuses a qrels file that judges none of the queries', async () => {
    const other = write('other.tsv', '77\tdA\t1\n');
    await expect(importBeir({ queries, qrels: other })).rejects.toBeInstanceOf(PlumbError);
  });

  it('imports SciFact train cleanly: every judged query, no unknown ids', async () => {
    const scifact = '/work/shared/datasets/scifact';
    const result = await importBeir({ queries: `${scifact}/queries.train.jsonl`, qrels: `${scifact}/qrels.train.tsv`, corpus: `${scifact}/corpus.jsonl` });
    expect(result.cases).toHaveLength(809);
    expect(result.problems).toEqual([]);
    const judgements = result.cases.reduce((n, c) => n + Object.keys(c.relevantDocumentIds ?? {}).length, 0);
    expect(judgements).toBe(919);
  });
});
