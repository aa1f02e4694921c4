import { describe, expect, it } from 'vitest';
import type { GoldenCase, SystemOutput } from '../types.ts';
import { answerMetrics, applicableAnswerMetrics, scoreAnswerMetrics } from './answer-metrics.ts';

const labelled: GoldenCase = {
  id: 'q1',
  question: 'When was the Eiffel Tower built?',
  referenceAnswer: '1889',
  relevantDocumentIds: { eiffel: 1 },
};
const output: SystemOutput = {
  caseId: 'q1',
  answer: 'The Eiffel Tower was built in 1889 [1].',
  contexts: [
    { chunkId: 'c1', documentId: 'eiffel', text: 'The Eiffel Tower was built in 1889 for the World Fair.' },
    { chunkId: 'c2', documentId: 'louvre', text: 'The Louvre is a museum.' },
  ],
};

describe('answerMetrics registry', () => {
  it('computes every metric that applies to a case, by name', async () => {
    const scores = await scoreAnswerMetrics(labelled, output);
    const byName = Object.fromEntries(scores.map((s) => [s.name, s.value]));
    expect(Object.keys(byName).sort()).toEqual(Object.keys(answerMetrics).sort());
    expect(byName).toMatchObject({ exact_match: 0, context_precision: 1, context_recall: 1, abstention: 1 });
    // answer tokens [eiffel tower was built in 1889] vs [1889]: P 1/6, R 1 → F1 2/7.
    expect(byName['token_f1']).toBeCloseTo(2 / 7, 10);
  });

  it('leaves out metrics a case has no data for', () => {
    const names = applicableAnswerMetrics({ id: 'u', question: 'Who won in 2090?', unanswerable: true }).map((m) => m.name);
    expect(names).toEqual(['abstention']);
    expect(applicableAnswerMetrics(labelled, ['token_f1', 'no_such_metric']).map((m) => m.name)).toEqual(['token_f1']);
  });

  it('marks answer metrics undetermined, not 0, when the system failed', async () => {
    const [f1] = await scoreAnswerMetrics(labelled, { caseId: 'q1', answer: '', contexts: [], error: 'upstream timeout' }, {}, ['token_f1']);
    expect(f1).toMatchObject({ name: 'token_f1', value: null, reason: expect.stringContaining('upstream timeout') });
  });
});
