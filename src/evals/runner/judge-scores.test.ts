import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer, type OpenAIWireServer } from '../../providers/testing/index.ts';
import { createLlmJudge } from '../judges/llm/index.ts';
import { createOfflineJudge } from '../judges/offline/index.ts';
import type { GoldenCase, SystemOutput } from '../types.ts';
import { judgeScores } from './judge-scores.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const golden: GoldenCase = { id: 'q', question: 'When did the bridge open?', referenceAnswer: 'In 1932.' };
const output: SystemOutput = {
  caseId: 'q',
  answer: 'The bridge opened in 1932.',
  contexts: [{ chunkId: 'k1', documentId: 'd1', text: 'The harbour bridge opened in 1932 after eight years of work.' }],
};

describe('judge scores of one case', () => {
  it('adds an LLM-graded correctness score when the judge is an LLM and the case has a reference', async () => {
    server = await startOpenAIWireServer([
      { type: 'chat', text: JSON.stringify({ verdicts: [{ passage: 1, verdict: 'supported', quote: 'opened in 1932' }] }) },
      { type: 'chat', text: JSON.stringify({ score: 5, reason: 'same year as the reference' }) },
    ]);
    const judge = createLlmJudge({ model: createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'judge-1' }) });
    const scores = await judgeScores(output, judge, golden);
    const byName = Object.fromEntries(scores.map((s) => [s.name, s]));
    expect(byName.faithfulness).toMatchObject({ value: 1, method: 'llm' });
    expect(byName.correctness).toMatchObject({ value: 1, method: 'llm' });
    expect(byName.correctness!.reason).toContain('5/5');
    expect(server.requests).toHaveLength(2);
  });

  it('the heuristic judge grades no correctness (no rubric to grade with)', async () => {
    const scores = await judgeScores(output, createOfflineJudge(), golden);
    expect(scores.map((s) => s.name)).toEqual(['faithfulness']);
    expect(scores[0]!.method).toBe('heuristic');
  });
});
