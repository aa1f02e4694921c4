import { describe, expect, it } from 'vitest';
import { classificationReport, cohensKappa, confusionMatrix } from './classification.ts';

describe('classificationReport', () => {
  // Labels: 4 positive, 6 negative. Predictions: TP 3, FN 1, FP 2, TN 4.
  const labels = [true, true, true, true, false, false, false, false, false, false];
  const predictions = [true, true, true, false, true, true, false, false, false, false];

  it('matches hand-computed values', () => {
    const r = classificationReport(predictions, labels);
    expect(r.confusion).toEqual({ truePositive: 3, falsePositive: 2, trueNegative: 4, falseNegative: 1 });
    expect(r.n).toBe(10);
    expect(r.accuracy.value).toBeCloseTo(0.7, 10);
    expect(r.precision.value).toBeCloseTo(3 / 5, 10);
    expect(r.recall.value).toBeCloseTo(3 / 4, 10);
    expect(r.specificity.value).toBeCloseTo(4 / 6, 10);
    expect(r.balancedAccuracy.value).toBeCloseTo((3 / 4 + 4 / 6) / 2, 10);
    expect(r.f1.value).toBeCloseTo(6 / 9, 10);
    // po = 0.7; pe = (5·4 + 5·6) / 100 = 0.5; κ = 0.2 / 0.5.
    expect(r.kappa.value).toBeCloseTo(0.4, 10);
    expect(r.kappa.method).toBe('exact');
  });

  it('takes a configurable positive class', () => {
    const r = classificationReport(['bad', 'ok', 'bad'], ['bad', 'bad', 'ok'], 'bad');
    expect(r.confusion).toEqual({ truePositive: 1, falsePositive: 1, trueNegative: 0, falseNegative: 1 });
    const flipped = classificationReport(['bad', 'ok', 'bad'], ['bad', 'bad', 'ok'], 'ok');
    expect(flipped.confusion).toEqual({ truePositive: 0, falsePositive: 1, trueNegative: 1, falseNegative: 1 });
  });

  it('is undetermined, not NaN, when a class is empty', () => {
    const r = classificationReport([false, false, true], [false, false, false]);
    expect(r.recall.value).toBeNull();
    expect(r.recall.reason).toMatch(/no example is labelled positive/);
    expect(r.balancedAccuracy.value).toBeNull();
    expect(r.precision.value).toBe(0);
    expect(r.accuracy.value).toBeCloseTo(2 / 3, 10);
    const none = classificationReport([false, false], [false, false]);
    expect(none.precision.value).toBeNull();
    expect(none.f1.value).toBeNull();
    expect(none.kappa.value).toBeNull();
    for (const s of [none.accuracy, none.precision, none.recall, none.f1, none.kappa, none.balancedAccuracy]) expect(Number.isNaN(s.value)).toBe(false);
  });

  it('is undetermined on no examples at all, and rejects mismatched lengths', () => {
    const r = classificationReport<boolean>([], []);
    expect(r.accuracy.value).toBeNull();
    expect(cohensKappa(r.confusion).value).toBeNull();
    expect(() => confusionMatrix([true], [true, false])).toThrow(/1 predictions for 2 labels/);
  });

  it('gives κ = 1 for perfect and negative κ for systematic disagreement', () => {
    expect(classificationReport([true, false, true, false], [true, false, true, false]).kappa.value).toBeCloseTo(1, 10);
    expect(classificationReport([false, true, false, true], [true, false, true, false]).kappa.value).toBeCloseTo(-1, 10);
  });
});
