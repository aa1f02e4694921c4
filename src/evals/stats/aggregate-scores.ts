/**
 * From per-case scores to one aggregate per metric: the mean of the determined values with its
 * bootstrap CI, and how many cases could not be determined — counted, never averaged in as 0.
 */
import type { Score } from '../../core/score.ts';
import type { Aggregate } from '../types.ts';
import { bootstrapMeanCI, type BootstrapOptions } from './bootstrap.ts';

/**
 * Aggregates one metric over cases (each case's list of scores). A case whose score for the metric
 * is undetermined, or that has no score of that name at all, counts as undetermined.
 */
export function aggregateScores(scores: ReadonlyArray<readonly Score[]>, metricName: string, options: BootstrapOptions = {}): Aggregate {
  const values: number[] = [];
  let undeterminedCount = 0;
  for (const caseScores of scores) {
    const score = caseScores.find((s) => s.name === metricName);
    if (score === undefined || score.value === null || !Number.isFinite(score.value)) undeterminedCount++;
    else values.push(score.value);
  }
  if (values.length === 0) return { metric: metricName, mean: null, ci95: null, n: 0, undetermined: undeterminedCount };
  // Seeded by metric name by default, so each metric's interval is reproducible on its own.
  const { mean, ci95 } = bootstrapMeanCI(values, { ...options, seed: options.seed ?? metricName });
  return { metric: metricName, mean, ci95, n: values.length, undetermined: undeterminedCount };
}

/** One aggregate for every metric name that appears in any case, in order of first appearance. */
export function aggregateEveryMetric(scores: ReadonlyArray<readonly Score[]>, options: BootstrapOptions = {}): Aggregate[] {
  const names = new Set<string>();
  for (const caseScores of scores) for (const score of caseScores) names.add(score.name);
  return [...names].map((name) => aggregateScores(scores, name, options));
}
