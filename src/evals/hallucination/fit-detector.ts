/**
 * Chooses a detector (aggregator and threshold) on labelled grids by balanced accuracy, and
 * measures that choice honestly with stratified k-fold cross-validation: each fold is scored by
 * a detector fitted on the other folds only. With a single labelled split this out-of-fold number
 * is the one to quote; the in-sample number is reported beside it and says so.
 */
import { PlumbError } from '../../core/errors.ts';
import { classificationReport, type ClassificationReport } from '../stats/classification.ts';
import type { AttributionGrid } from '../judges/judge.ts';
import { GRID_AGGREGATORS, hallucinationScore, type DetectorSettings, type GridAggregator } from './grid-score.ts';

export interface FoldResult {
  fold: number;
  detector: DetectorSettings;
  trainBalancedAccuracy: number;
  testBalancedAccuracy: number | null;
  n: number;
}

export interface CrossValidation {
  folds: number;
  seed: number;
  /** Every row predicted by the detector fitted without its fold. */
  outOfFold: ClassificationReport;
  /** Mean of the per-fold balanced accuracies (folds where it is determined). */
  meanFoldBalancedAccuracy: number | null;
  perFold: FoldResult[];
}

/** The aggregator and threshold with the best balanced accuracy on these grids. */
export function fitDetector(grids: readonly AttributionGrid[], labels: readonly boolean[], aggregators: readonly GridAggregator[] = GRID_AGGREGATORS): { detector: DetectorSettings; balancedAccuracy: number } {
  if (!labels.includes(true) || !labels.includes(false)) {
    throw new PlumbError('bad_request', 'fitting a detector needs both hallucinated and faithful examples', { hint: 'use a labelled set with both classes' });
  }
  let best: { detector: DetectorSettings; balancedAccuracy: number } | undefined;
  for (const aggregator of aggregators) {
    const scores = grids.map((g) => hallucinationScore(g, aggregator));
    const sorted = [...new Set(scores)].sort((a, b) => a - b);
    // Thresholds halfway between observed scores, plus one below them all (everything positive).
    const candidates = [(sorted[0] ?? 0) - 1, ...sorted.slice(0, -1).map((s, i) => (s + sorted[i + 1]!) / 2)];
    for (const threshold of candidates) {
      const ba = balancedAccuracy(scores.map((s) => s > threshold), labels);
      if (best === undefined || ba > best.balancedAccuracy + 1e-12) best = { detector: { aggregator, threshold: round6(threshold) }, balancedAccuracy: ba };
    }
  }
  return best!;
}

/** Stratified k-fold cross-validation of fitDetector. */
export function crossValidateDetector(grids: readonly AttributionGrid[], labels: readonly boolean[], options: { folds?: number; seed?: number; aggregators?: readonly GridAggregator[] } = {}): CrossValidation {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 1;
  const fold = stratifiedFolds(labels, folds, seed);
  const predictions: boolean[] = new Array<boolean>(labels.length).fill(false);
  const perFold: FoldResult[] = [];
  for (let f = 0; f < folds; f++) {
    const train = labels.map((_, i) => i).filter((i) => fold[i] !== f);
    const test = labels.map((_, i) => i).filter((i) => fold[i] === f);
    const fitted = fitDetector(train.map((i) => grids[i]!), train.map((i) => labels[i]!), options.aggregators);
    for (const i of test) predictions[i] = hallucinationScore(grids[i]!, fitted.detector.aggregator) > fitted.detector.threshold;
    const testReport = classificationReport(test.map((i) => predictions[i]!), test.map((i) => labels[i]!));
    perFold.push({ fold: f, detector: fitted.detector, trainBalancedAccuracy: round6(fitted.balancedAccuracy), testBalancedAccuracy: testReport.balancedAccuracy.value, n: test.length });
  }
  const determined = perFold.map((p) => p.testBalancedAccuracy).filter((x): x is number => x !== null);
  return {
    folds,
    seed,
    outOfFold: classificationReport(predictions, labels),
    meanFoldBalancedAccuracy: determined.length === 0 ? null : determined.reduce((a, b) => a + b, 0) / determined.length,
    perFold,
  };
}

/** Fold number per example, each class spread evenly over the folds, shuffled by a seeded PRNG. */
export function stratifiedFolds(labels: readonly boolean[], folds: number, seed: number): number[] {
  if (!Number.isInteger(folds) || folds < 2 || folds > labels.length) {
    throw new PlumbError('bad_request', `cross-validation needs 2 to ${labels.length} folds, got ${folds}`, { hint: 'use --folds 5, or more labelled rows' });
  }
  const random = mulberry32(seed);
  const fold = new Array<number>(labels.length).fill(0);
  for (const cls of [true, false]) {
    const members = labels.map((l, i) => (l === cls ? i : -1)).filter((i) => i >= 0);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    members.forEach((index, k) => (fold[index] = k % folds));
  }
  return fold;
}

// Inside the threshold sweep: plain counting, not a full report, since it runs ~n² times.
function balancedAccuracy(predictions: boolean[], labels: readonly boolean[]): number {
  let tp = 0;
  let pos = 0;
  let tn = 0;
  let neg = 0;
  predictions.forEach((p, i) => {
    if (labels[i]) {
      pos++;
      if (p) tp++;
    } else {
      neg++;
      if (!p) tn++;
    }
  });
  return pos === 0 || neg === 0 ? 0 : (tp / pos + tn / neg) / 2;
}

// A small, well-known seeded PRNG: the folds must be the same on every run.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
