/** Statistics of evaluation: seeded resampling, confidence intervals, paired tests, gate decisions. */
export { seededRandom, randomIndex, DEFAULT_SEED, type Random } from './seeded-random.ts';
export { percentile, percentiles, interpolatedQuantile, type Percentiles } from './percentiles.ts';
export { bootstrapMeanCI, meanOf, DEFAULT_BOOTSTRAP_ITERATIONS, type BootstrapOptions, type MeanWithCI } from './bootstrap.ts';
export { aggregateScores, aggregateEveryMetric } from './aggregate-scores.ts';
export { pairedBootstrapDiff, type PairedDifference, type PairedOptions } from './paired-difference.ts';
export { significantDrop, worsenedCases, type CaseChange, type DropDecision } from './significant-drop.ts';
