import { describe, expect, it } from 'vitest';
import type { SupportJudge } from '../judges/judge.ts';
import { createOfflineJudge } from '../judges/offline/offline-judge.ts';
import type { EvalContext } from '../types.ts';
import { faithfulness } from './faithfulness.ts';

const contexts: EvalContext[] = [
  { chunkId: 'cast', documentId: 'd1', text: 'Poseidon is a 2006 disaster film directed by Wolfgang Petersen.' },
  { chunkId: 'money', documentId: 'd2', text: 'Poseidon grossed $ 181,674,817 at the worldwide box office on a budget of $ 160 million.' },
];
const judge = createOfflineJudge();

describe('faithfulness', () => {
  it('scores supported claims / claims and diagnoses "retrieval missed it" vs "contradicted by <chunk>"', async () => {
    const answer = 'Poseidon was directed by Wolfgang Petersen [1]. It grossed $150 million worldwide [2]. It won three Academy Awards.';
    const score = await faithfulness(answer, contexts, judge);
    expect(score.name).toBe('faithfulness');
    expect(score.value).toBeCloseTo(1 / 3, 10);
    expect(score.method).toBe('heuristic');
    expect(score.reason).toMatch(/1 of 3 claims supported.*1 contradicted.*1 supported by no chunk.*heuristic judge/);
    const evidence = score.evidence as { diagnoses: Array<{ claimId: string; diagnosis: string; chunkId: string | null }>; grid: { cells: unknown[] }; judge: { kind: string } };
    expect(evidence.judge.kind).toBe('heuristic');
    expect(evidence.grid.cells).toHaveLength(6);
    expect(evidence.diagnoses.map((d) => [d.claimId, d.diagnosis])).toEqual([
      ['c2', 'contradicted by money'],
      ['c3', 'retrieval missed it'],
    ]);
  });

  it('is 1 when every claim is supported', async () => {
    const score = await faithfulness('Poseidon is a 2006 disaster film. Its budget was $160 million.', contexts, judge);
    expect(score.value).toBe(1);
  });

  it('is undetermined, with the reason, for an abstention', async () => {
    const score = await faithfulness('I could not find an answer to that in the indexed documents.', contexts, judge);
    expect(score.value).toBeNull();
    expect(score.reason).toMatch(/abstains/);
  });

  it('says retrieval missed every claim when nothing was retrieved', async () => {
    const score = await faithfulness('Poseidon grossed $181,674,817.', [], judge);
    expect(score.value).toBe(0);
    expect((score.evidence as { diagnoses: Array<{ detail: string }> }).diagnoses[0]!.detail).toBe('no chunks were retrieved');
  });
});

describe('faithfulness with claims the judge could not decide', () => {
  const ctx = [{ chunkId: 'c1', documentId: 'd1', text: 'The bridge opened in 1932.' }];
  const judgeDeciding = (decide: (claimId: string) => 'supported' | 'undetermined'): SupportJudge => ({
    name: 'scripted', version: 'v0', kind: 'llm',
    async judge(claims) {
      const perClaim = claims.filter((c) => decide(c.id) === 'supported').map((c) => ({ claimId: c.id, verdict: 'supported' as const, bestChunkId: 'c1', confidence: 1 }));
      const undeterminedClaims = claims.filter((c) => decide(c.id) === 'undetermined').map((c) => ({ claimId: c.id, chunkId: null, reason: 'replies stayed invalid' }));
      return { claims, cells: [], perClaim, undetermined: undeterminedClaims };
    },
  });

  it('leaves undecided claims out of the ratio instead of counting them as unsupported', async () => {
    let first = true;
    const judge = judgeDeciding(() => {
      const d = first ? 'supported' : 'undetermined';
      first = false;
      return d;
    });
    const score = await faithfulness('The bridge opened in 1932. It is painted red.', ctx, judge);
    expect(score.value).toBe(1);
    expect(score.reason).toContain('1 undetermined by the judge');
  });

  it('is undetermined when the judge decided no claim', async () => {
    const score = await faithfulness('The bridge opened in 1932.', ctx, judgeDeciding(() => 'undetermined'));
    expect(score.value).toBeNull();
    expect(score.reason).toContain('replies stayed invalid');
  });
});
