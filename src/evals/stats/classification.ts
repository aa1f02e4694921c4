/**
 * Binary classification metrics for judges and detectors against human labels: accuracy,
 * balanced accuracy, precision, recall, F1, Cohen's κ and the confusion matrix. A metric whose
 * denominator is empty (no positive labels, no positive predictions) is undetermined with the
 * reason — never NaN, never a silent 0.
 */
import { PlumbError } from '../../core/errors.ts';
import { scored, undetermined, type Score } from '../../core/score.ts';

export interface ConfusionMatrix {
  truePositive: number;
  falsePositive: number;
  trueNegative: number;
  falseNegative: number;
}

export interface ClassificationReport {
  n: number;
  confusion: ConfusionMatrix;
  accuracy: Score;
  balancedAccuracy: Score;
  precision: Score;
  recall: Score;
  f1: Score;
  /** Recall of the negative class. */
  specificity: Score;
  kappa: Score;
}

/** Counts true/false positives/negatives; `positive` names the positive class (default `true`). */
export function confusionMatrix<T>(predictions: readonly T[], labels: readonly T[], positive: T = true as T): ConfusionMatrix {
  if (predictions.length !== labels.length) {
    throw new PlumbError('bad_request', `got ${predictions.length} predictions for ${labels.length} labels`, { hint: 'pass one prediction per label, in the same order' });
  }
  const m: ConfusionMatrix = { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
  predictions.forEach((p, i) => {
    const predicted = p === positive;
    const actual = labels[i] === positive;
    if (predicted && actual) m.truePositive++;
    else if (predicted) m.falsePositive++;
    else if (actual) m.falseNegative++;
    else m.trueNegative++;
  });
  return m;
}

/** All the metrics of a binary classifier's predictions against labels. */
export function classificationReport<T>(predictions: readonly T[], labels: readonly T[], positive: T = true as T): ClassificationReport {
  return reportFromConfusion(confusionMatrix(predictions, labels, positive));
}

/** All the metrics from a confusion matrix. */
export function reportFromConfusion(m: ConfusionMatrix): ClassificationReport {
  const { truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn } = m;
  const n = tp + fp + tn + fn;
  const evidence = { tp, fp, tn, fn };
  const exact = { method: 'exact' as const, evidence };

  const ratio = (name: string, num: number, den: number, what: string, emptyWhy: string): Score =>
    den === 0 ? undetermined(name, emptyWhy, exact) : scored(name, num / den, `${num} of ${den} ${what}`, exact);

  const accuracy = ratio('accuracy', tp + tn, n, 'predictions correct', 'no examples');
  const precision = ratio('precision', tp, tp + fp, 'positive predictions are positive', 'nothing was predicted positive');
  const recall = ratio('recall', tp, tp + fn, 'positives were found', 'no example is labelled positive');
  const specificity = ratio('specificity', tn, tn + fp, 'negatives were predicted negative', 'no example is labelled negative');

  const balancedAccuracy =
    recall.value === null || specificity.value === null
      ? undetermined('balanced_accuracy', `needs both classes among the labels: ${recall.value === null ? recall.reason : specificity.reason}`, exact)
      : scored('balanced_accuracy', (recall.value + specificity.value) / 2, `mean of recall ${fmt(recall.value)} and specificity ${fmt(specificity.value)}`, exact);

  const f1 =
    tp + fp + fn === 0
      ? undetermined('f1', 'no example is labelled or predicted positive', exact)
      : scored('f1', (2 * tp) / (2 * tp + fp + fn), `2·TP / (2·TP + FP + FN) = ${2 * tp} / ${2 * tp + fp + fn}`, exact);

  return { n, confusion: m, accuracy, balancedAccuracy, precision, recall, f1, specificity, kappa: cohensKappa(m) };
}

/** Cohen's κ: agreement beyond chance; undetermined when chance agreement is already total. */
export function cohensKappa(m: ConfusionMatrix): Score {
  const { truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn } = m;
  const n = tp + fp + tn + fn;
  const evidence = { tp, fp, tn, fn };
  if (n === 0) return undetermined('kappa', 'no examples', { method: 'exact', evidence });
  const observed = (tp + tn) / n;
  const expected = ((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp)) / (n * n);
  if (expected >= 1) {
    return undetermined('kappa', 'labels and predictions each use a single, identical class: chance agreement is 1, so κ is 0/0', { method: 'exact', evidence });
  }
  return scored('kappa', (observed - expected) / (1 - expected), `observed agreement ${fmt(observed)}, chance ${fmt(expected)}`, { method: 'exact', evidence });
}

function fmt(x: number): string {
  return x.toFixed(3);
}
