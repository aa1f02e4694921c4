import { describe, expect, it } from 'vitest';
import { ABSTENTION_TEXT } from '../../rag/answer/abstention.ts';
import { abstention, summarizeAbstention } from './abstention.ts';

describe('abstention', () => {
  it('rewards abstaining on unanswerable cases and answering answerable ones', () => {
    expect(abstention({ unanswerable: true }, { answer: ABSTENTION_TEXT })).toMatchObject({ value: 1, evidence: { source: 'detected from the answer text' } });
    expect(abstention({ unanswerable: true }, { answer: 'It was built in 1889 [1].' })).toMatchObject({ value: 0, reason: expect.stringContaining('answered anyway') });
    expect(abstention({}, { answer: 'It was built in 1889 [1].' }).value).toBe(1);
    expect(abstention({ unanswerable: false }, { answer: 'whatever', abstained: true })).toMatchObject({ value: 0, evidence: { source: 'reported by the system' } });
    expect(abstention({}, { answer: "The passages don't contain that." }).value).toBe(0);
  });

  it('is undetermined when the system failed', () => {
    expect(abstention({ unanswerable: true }, { answer: '', error: 'timeout' })).toMatchObject({ value: null, reason: expect.stringContaining('timeout') });
  });

  it('summarises precision and recall of abstaining over a set', () => {
    const summary = summarizeAbstention([
      { goldenCase: { unanswerable: true }, output: { answer: ABSTENTION_TEXT } }, // TP
      { goldenCase: { unanswerable: true }, output: { answer: 'Yes.' } }, // FN
      { goldenCase: {}, output: { answer: ABSTENTION_TEXT } }, // FP
      { goldenCase: {}, output: { answer: 'Yes.' } }, // TN
      { goldenCase: {}, output: { answer: 'Yes.' } }, // TN
      { goldenCase: {}, output: { answer: '', error: 'boom' } },
    ]);
    expect(summary).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 2, failed: 1 });
    expect(summary.precision.value).toBe(0.5);
    expect(summary.recall.value).toBe(0.5);
    const none = summarizeAbstention([{ goldenCase: {}, output: { answer: 'Yes.' } }]);
    expect(none.precision.value).toBeNull();
    expect(none.recall.value).toBeNull();
  });
});
