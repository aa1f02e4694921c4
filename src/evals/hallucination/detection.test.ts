import { describe, expect, it } from 'vitest';
import type { AttributionGrid, SupportVerdict } from '../judges/judge.ts';
import { createOfflineJudge } from '../judges/offline/offline-judge.ts';
import { detectHallucinations, judgeRows } from './evaluate-detection.ts';
import { crossValidateDetector, fitDetector, stratifiedFolds } from './fit-detector.ts';
import { hallucinationScore } from './grid-score.ts';
import type { HallucinationRow } from './read-hallucination-rows.ts';

/** A grid with one claim per verdict given (a real value of our type, as a judge would return). */
function grid(verdicts: Array<[SupportVerdict, number]>): AttributionGrid {
  const claims = verdicts.map((_, i) => ({ id: `c${i + 1}`, text: `claim ${i + 1}`, sentenceIndex: i, span: [0, 1] as [number, number] }));
  return { claims, cells: [], perClaim: verdicts.map(([verdict, confidence], i) => ({ claimId: `c${i + 1}`, verdict, bestChunkId: 'k', confidence })) };
}

describe('hallucination scores from the grid', () => {
  it('aggregates claim verdicts', () => {
    const g = grid([['supported', 0.9], ['unsupported', 0.8], ['supported', 0.7]]);
    expect(hallucinationScore(g, 'max-unsupportedness')).toBeCloseTo(0.8, 10);
    expect(hallucinationScore(g, 'mean-unsupportedness')).toBeCloseTo((0.1 + 0.8 + 0.3) / 3, 10);
    expect(hallucinationScore(g, 'unsupported-share')).toBeCloseTo(1 / 3, 10);
    expect(hallucinationScore(g, 'unsupported-count')).toBe(1);
    expect(hallucinationScore(grid([]), 'max-unsupportedness')).toBe(0);
  });

  it('detects the invented detail with the real offline judge, and passes the faithful summary', async () => {
    const source = 'Poseidon (film) . Poseidon grossed $ 181,674,817 at the worldwide box office on a budget of $ 160 million .';
    const rows: HallucinationRow[] = [
      { line: 1, context: source, answer: 'Poseidon grossed $181,674,817 worldwide on a budget of $160 million.', hallucinated: false, label: 'Consistent' },
      { line: 2, context: source, answer: 'Poseidon grossed $181,674,817 worldwide and won two Academy Awards for Steven Spielberg.', hallucinated: true, label: 'Unwanted' },
    ];
    const result = detectHallucinations(await judgeRows(rows, createOfflineJudge()));
    expect(result.predictions.map((p) => p.predicted)).toEqual([false, true]);
    expect(result.report.balancedAccuracy.value).toBe(1);
  });
});

describe('fitting and cross-validating a detector', () => {
  const grids = [
    ...Array.from({ length: 10 }, (_, i) => grid([['unsupported', 0.6 + i * 0.03]])),
    ...Array.from({ length: 10 }, (_, i) => grid([['supported', 0.6 + i * 0.03]])),
  ];
  const labels = [...Array<boolean>(10).fill(true), ...Array<boolean>(10).fill(false)];

  it('finds a separating threshold', () => {
    const fit = fitDetector(grids, labels, ['max-unsupportedness']);
    expect(fit.balancedAccuracy).toBe(1);
    expect(fit.detector.threshold).toBeGreaterThan(0.4);
    expect(fit.detector.threshold).toBeLessThan(0.6);
  });

  it('spreads each class evenly over the folds, the same way for the same seed', () => {
    const folds = stratifiedFolds(labels, 5, 7);
    for (let f = 0; f < 5; f++) {
      expect(folds.filter((x, i) => x === f && labels[i]).length).toBe(2);
      expect(folds.filter((x, i) => x === f && !labels[i]).length).toBe(2);
    }
    expect(stratifiedFolds(labels, 5, 7)).toEqual(folds);
    expect(() => stratifiedFolds(labels, 1, 7)).toThrow(/2 to 20 folds/);
  });

  it('predicts every row out of fold', () => {
    const cv = crossValidateDetector(grids, labels, { folds: 5, seed: 3 });
    expect(cv.perFold).toHaveLength(5);
    expect(cv.outOfFold.n).toBe(20);
    expect(cv.outOfFold.balancedAccuracy.value).toBe(1);
    expect(cv.meanFoldBalancedAccuracy).toBe(1);
  });
});
