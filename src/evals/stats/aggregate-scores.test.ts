import { describe, expect, it } from 'vitest';
import { scored, undetermined } from '../../core/score.ts';
import { aggregateEveryMetric, aggregateScores } from './aggregate-scores.ts';

describe('aggregateScores', () => {
  const cases = [
    [scored('f1', 1, 'exact match'), scored('recall@5', 1, 'found')],
    [scored('f1', 0.5, 'half'), undetermined('recall@5', 'no relevant document judged')],
    [undetermined('f1', 'judge returned invalid JSON twice')],
    [scored('f1', 0, 'no overlap'), scored('recall@5', 0, 'missed')],
  ];

  it('averages determined values only and counts the rest as undetermined', () => {
    const f1 = aggregateScores(cases, 'f1');
    expect(f1.metric).toBe('f1');
    expect(f1.mean).toBeCloseTo(0.5, 12);
    expect(f1.n).toBe(3);
    expect(f1.undetermined).toBe(1);
    expect(f1.ci95![0]).toBeLessThanOrEqual(0.5);
    expect(f1.ci95![1]).toBeGreaterThanOrEqual(0.5);
    // The third case has no recall score at all: also undetermined, not a silent 0.
    const recall = aggregateScores(cases, 'recall@5');
    expect(recall).toMatchObject({ mean: 0.5, n: 2, undetermined: 2 });
  });

  it('has no mean and no CI when nothing was determined', () => {
    expect(aggregateScores([[undetermined('x', 'no judge')], []], 'x')).toEqual({ metric: 'x', mean: null, ci95: null, n: 0, undetermined: 2 });
  });

  it('is reproducible and aggregates every metric present', () => {
    expect(aggregateScores(cases, 'f1')).toEqual(aggregateScores(cases, 'f1'));
    expect(aggregateEveryMetric(cases).map((a) => a.metric)).toEqual(['f1', 'recall@5']);
  });
});
