import { describe, expect, it } from 'vitest';
import type { EvalContext, GoldenCase } from '../types.ts';
import { contextPrecision } from './context-precision.ts';
import { contextRecall } from './context-recall.ts';
import { passageCoverage, preparePassage } from './passage-match.ts';

const ctx = (chunkId: string, documentId: string, text = ''): EvalContext => ({ chunkId, documentId, text });
const base: GoldenCase = { id: 'q1', question: 'q?' };

describe('contextPrecision by id', () => {
  it('is the Ragas rank-weighted average precision over chunk ids', () => {
    const c: GoldenCase = { ...base, relevantChunkIds: ['a', 'c'] };
    // relevant at ranks 1 and 3: (1/1 + 2/3) / 2.
    const score = contextPrecision([ctx('a', 'd1'), ctx('b', 'd1'), ctx('c', 'd2')], c);
    expect(score.value).toBeCloseTo(5 / 6, 10);
    expect(score).toMatchObject({ method: 'exact', evidence: { labels: 'chunk', shareRelevant: 2 / 3 } });
    // relevant only at rank 2: (1/2) / 1.
    expect(contextPrecision([ctx('x', 'd1'), ctx('a', 'd1')], c).value).toBeCloseTo(0.5, 10);
    expect(contextPrecision([ctx('x', 'd1')], c).value).toBe(0);
  });

  it('uses documents with a grade above 0 when there are no chunk ids', () => {
    const c: GoldenCase = { ...base, relevantDocumentIds: { d1: 2, d2: 0 } };
    // d2 is graded 0, so only rank 2 is relevant.
    expect(contextPrecision([ctx('a', 'd2'), ctx('b', 'd1')], c)).toMatchObject({ value: 0.5, evidence: { labels: 'document' } });
  });

  it('is undetermined without labels or without contexts', () => {
    expect(contextPrecision([ctx('a', 'd1')], base)).toMatchObject({ value: null, reason: expect.stringContaining('no relevance labels') });
    expect(contextPrecision([], { ...base, relevantChunkIds: ['a'] }).value).toBeNull();
  });
});

describe('gold passages by text', () => {
  it('covers a passage fully when contained, else by the share of its bigrams', () => {
    const gold = preparePassage('alpha beta gamma delta epsilon');
    expect(passageCoverage(gold, preparePassage('Before. Alpha, beta gamma delta epsilon! After.'))).toBe(1);
    // bigrams: alpha-beta, beta-gamma, gamma-delta, delta-epsilon; the context has the first two.
    expect(passageCoverage(gold, preparePassage('x alpha beta gamma y'))).toBe(0.5);
    expect(passageCoverage(gold, preparePassage('alpha y beta z gamma'))).toBe(0);
  });

  it('scores precision and recall from passage matches (heuristic)', () => {
    const c: GoldenCase = { ...base, goldPassages: ['Hybrid retrieval fuses BM25 and vector scores.', 'Chunks are split at headings first.'] };
    const contexts = [
      ctx('1', 'd1', 'Unrelated text about installing plumb.'),
      ctx('2', 'd1', 'In plumb, hybrid retrieval fuses BM25 and vector scores with weights.'),
    ];
    expect(contextPrecision(contexts, c)).toMatchObject({ value: 0.5, method: 'heuristic', evidence: { labels: 'passage' } });
    expect(contextRecall(contexts, c)).toMatchObject({
      value: 0.5,
      evidence: { found: ['Hybrid retrieval fuses BM25 and vector scores.'], missing: ['Chunks are split at headings first.'] },
    });
  });
});

describe('contextRecall by id', () => {
  it('is the share of relevant chunks or documents found, 0 with no contexts', () => {
    expect(contextRecall([ctx('a', 'd1'), ctx('z', 'd9')], { ...base, relevantChunkIds: ['a', 'b', 'c', 'd'] }).value).toBe(0.25);
    expect(contextRecall([ctx('a', 'd1'), ctx('b', 'd1')], { ...base, relevantDocumentIds: { d1: 1, d3: 2 } })).toMatchObject({ value: 0.5, evidence: { missing: ['d3'] } });
    expect(contextRecall([], { ...base, relevantDocumentIds: { d1: 1 } }).value).toBe(0);
    expect(contextRecall([ctx('a', 'd1')], base).value).toBeNull();
  });
});
