import { describe, expect, it } from 'vitest';
import { scored } from '../../core/score.ts';
import { runExport, type RunExport } from '../reports/run-export.ts';
import type { EvalRunSummary } from '../types.ts';
import { runGate, renderGate } from './gate.ts';
import { parseMaxDrop } from './max-drop.ts';

function run(id: string, values: number[]): RunExport {
  const summary = { id, name: id, createdAt: '', goldenSet: { name: 'g', contentHash: 'h', cases: values.length }, config: {}, aggregates: [], performance: {}, status: 'completed' } as EvalRunSummary;
  return runExport(
    summary,
    values.map((v, i) => ({ caseId: `q${i}`, question: `question ${i}`, output: { caseId: `q${i}`, answer: '', contexts: [] }, scores: [scored('ndcg@10', v, '')] })),
  );
}

const base = [0.9, 0.8, 1, 0.7, 0.95, 0.85, 0.6, 1, 0.75, 0.9, 0.8, 0.65, 1, 0.9, 0.7, 0.85, 0.95, 0.8, 0.9, 0.75];

describe('runGate', () => {
  it('passes on no change and on a small noisy drop', () => {
    expect(runGate(run('b', base), run('c', base), parseMaxDrop('ndcg@10=0.01')).passed).toBe(true);
    const noisy = base.map((v, i) => (i === 3 ? v - 0.3 : i === 5 ? Math.min(1, v + 0.1) : v));
    expect(runGate(run('b', base), run('c', noisy), parseMaxDrop('ndcg@10=0.01')).passed).toBe(true);
  });

  it('fails on a clear regression and names the worst questions first', () => {
    const worse = base.map((v, i) => Math.max(0, v - 0.2 - (i === 7 ? 0.5 : 0)));
    const result = runGate(run('b', base), run('c', worse), parseMaxDrop('ndcg@10=0.01'));
    expect(result.passed).toBe(false);
    expect(result.metrics[0]!.worsenedQuestions[0]).toMatchObject({ caseId: 'q7', question: 'question 7' });
    expect(renderGate(result)).toMatch(/FAILED[\s\S]*✗ ndcg@10[\s\S]*q7: question 7/);
  });

  it('rejects a bad spec and an unknown metric', () => {
    expect(() => parseMaxDrop('ndcg@10')).toThrow(/metric=drop/);
    expect(parseMaxDrop('ndcg@10=0.01, faithfulness=0.02')).toEqual(new Map([['ndcg@10', 0.01], ['faithfulness', 0.02]]));
    expect(() => runGate(run('b', base), run('c', base), parseMaxDrop('bleu=0.1'))).toThrow(/no determined value/);
  });
});
