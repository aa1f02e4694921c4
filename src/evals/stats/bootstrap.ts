/**
 * Percentile-bootstrap confidence intervals for a mean: resample the values with replacement,
 * take each resample's mean, and read the 2.5th and 97.5th percentiles of those means. Seeded,
 * so the same values always give the same interval.
 */
import { PlumbError } from '../../core/errors.ts';
import { interpolatedQuantile } from './percentiles.ts';
import { randomIndex, seededRandom } from './seeded-random.ts';

export interface BootstrapOptions {
  /** Resamples to draw; 2,000 keeps the CI bounds stable to about ±0.002 on [0, 1] metrics. */
  iterations?: number;
  seed?: number | string;
}

export interface MeanWithCI {
  mean: number;
  /** Percentile-bootstrap 95% interval of the mean. */
  ci95: [number, number];
  n: number;
}

export const DEFAULT_BOOTSTRAP_ITERATIONS = 2000;

/** Mean of non-empty finite values with its percentile-bootstrap 95% confidence interval. */
export function bootstrapMeanCI(values: readonly number[], options: BootstrapOptions = {}): MeanWithCI {
  const data = finiteValues(values, 'bootstrapMeanCI');
  const iterations = checkIterations(options.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS);
  const n = data.length;
  const mean = meanOf(data);
  // Every resample of a constant sample has the same mean; skip the work and the float noise.
  if (data.every((v) => v === data[0])) return { mean, ci95: [mean, mean], n };
  const random = seededRandom(options.seed);
  const means = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += data[randomIndex(random, n)]!;
    means[i] = sum / n;
  }
  means.sort();
  return { mean, ci95: [interpolatedQuantile(means, 0.025), interpolatedQuantile(means, 0.975)], n };
}

/** The arithmetic mean of a non-empty array. */
export function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Rejects empty input and NaN/Infinity with an error that says where they should have been filtered. */
export function finiteValues(values: readonly number[], caller: string): Float64Array {
  if (values.length === 0) {
    throw new PlumbError('bad_request', `${caller} needs at least one value.`, {
      hint: 'A metric with no determined values has no mean: report it as undetermined (aggregateScores does).',
    });
  }
  for (const value of values) {
    if (!Number.isFinite(value)) {
      throw new PlumbError('bad_request', `${caller} got a non-finite value (${value}).`, {
        hint: 'Filter out undetermined scores (value null) before computing statistics.',
      });
    }
  }
  return Float64Array.from(values);
}

/** Validates an iteration count (a positive integer). */
export function checkIterations(iterations: number): number {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new PlumbError('bad_request', `iterations must be a positive integer, got ${iterations}.`, { hint: 'Use the default (2,000) unless you have a reason not to.' });
  }
  return iterations;
}
