import { describe, expect, it } from 'vitest';
import { createOfflineJudge } from '../judges/offline/offline-judge.ts';
import type { EvalContext } from '../types.ts';
import { citationAccuracy } from './citation-accuracy.ts';

const contexts: EvalContext[] = [
  { chunkId: 'cast', documentId: 'd1', text: 'Poseidon is a 2006 disaster film directed by Wolfgang Petersen.' },
  { chunkId: 'money', documentId: 'd2', text: 'Poseidon grossed $ 181,674,817 at the worldwide box office on a budget of $ 160 million.' },
];
const judge = createOfflineJudge();

describe('citationAccuracy', () => {
  it('counts a citation accurate only when the cited chunk supports the citing sentence', async () => {
    const s1 = 'Poseidon was directed by Wolfgang Petersen [1].';
    const s2 = 'Poseidon grossed $181,674,817 worldwide [1][2].';
    const score = await citationAccuracy(`${s1} ${s2}`, [
      { sentence: s1, chunkIds: ['cast'] },
      { sentence: s2, chunkIds: ['cast', 'money'] },
    ], contexts, judge);
    // cast→s1 yes; cast→s2 no (the cast chunk says nothing of money); money→s2 yes.
    expect(score.value).toBeCloseTo(2 / 3, 10);
    const pairs = (score.evidence as { pairs: Array<{ chunkId: string; accurate: boolean }> }).pairs;
    expect(pairs.map((p) => [p.chunkId, p.accurate])).toEqual([
      ['cast', true],
      ['cast', false],
      ['money', true],
    ]);
  });

  it('counts a citation of a chunk that was not retrieved as inaccurate', async () => {
    const s = 'Poseidon was directed by Wolfgang Petersen [4].';
    const score = await citationAccuracy(s, [{ sentence: s, chunkIds: ['ghost'] }], contexts, judge);
    expect(score.value).toBe(0);
    expect(JSON.stringify(score.evidence)).toMatch(/not retrieved/);
  });

  it('is undetermined when nothing is cited', async () => {
    const score = await citationAccuracy('Poseidon is a film.', [{ sentence: 'Poseidon is a film.', chunkIds: [] }], contexts, judge);
    expect(score.value).toBeNull();
    expect(score.reason).toMatch(/cites no chunk/);
  });
});
