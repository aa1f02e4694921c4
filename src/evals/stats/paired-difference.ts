/**
 * Paired comparison of two runs over the same cases: the per-case difference (b − a), its mean
 * with a percentile-bootstrap 95% CI, and a two-sided p-value from a paired sign-flip permutation
 * test (under "no difference" each case's difference is as likely to have either sign). Pairing
 * removes the between-question variance that dwarfs most real changes.
 */
import { PlumbError } from '../../core/errors.ts';
import { bootstrapMeanCI, checkIterations, DEFAULT_BOOTSTRAP_ITERATIONS, meanOf } from './bootstrap.ts';
import { seededRandom } from './seeded-random.ts';

export interface PairedOptions {
  /** Bootstrap resamples for the CI. */
  iterations?: number;
  /** Random sign flips for the p-value when n is too large to enumerate every one. */
  permutations?: number;
  seed?: number | string;
}

export interface PairedDifference {
  /** Mean over shared cases of (b − a): positive means b scored higher. */
  meanDiff: number;
  ci95: [number, number];
  /** Cases present in both maps (the only ones compared). */
  n: number;
  /** Two-sided p-value of the paired sign-flip test. */
  pValue: number;
  /** "exact" enumerates all 2^n sign patterns (n ≤ 16); "monte-carlo" samples them. */
  pValueMethod: 'exact' | 'monte-carlo';
  onlyInA: number;
  onlyInB: number;
}

const EXACT_LIMIT = 16;
const DEFAULT_PERMUTATIONS = 10_000;
// Sums of the same numbers in another order differ in the last bits; ties must still count as ties.
const TIE_TOLERANCE = 1e-12;

/** Paired difference (b − a) over the cases present in both maps, with CI and p-value. */
export function pairedBootstrapDiff(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, options: PairedOptions = {}): PairedDifference {
  // Sorted ids: the result must not depend on the order the maps were filled in.
  const shared = [...a.keys()].filter((id) => b.has(id)).sort();
  if (shared.length === 0) {
    throw new PlumbError('bad_request', 'The two runs share no case with a determined value, so they cannot be compared.', {
      hint: 'Check that both runs used the same golden set (compare their content hashes).',
    });
  }
  const diffs = shared.map((id) => b.get(id)! - a.get(id)!);
  const { mean, ci95 } = bootstrapMeanCI(diffs, { iterations: options.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS, seed: options.seed ?? 'paired' });
  const { pValue, method } = signFlipPValue(Float64Array.from(diffs), options);
  return {
    meanDiff: mean,
    ci95,
    n: shared.length,
    pValue,
    pValueMethod: method,
    onlyInA: a.size - shared.length,
    onlyInB: b.size - shared.length,
  };
}

function signFlipPValue(diffs: Float64Array, options: PairedOptions): { pValue: number; method: 'exact' | 'monte-carlo' } {
  const n = diffs.length;
  const observed = Math.abs(meanOf(diffs));
  if (observed === 0) return { pValue: 1, method: 'exact' };
  const threshold = observed - TIE_TOLERANCE;
  if (n <= EXACT_LIMIT) {
    const patterns = 2 ** n;
    let extreme = 0;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -diffs[i]! : diffs[i]!;
      if (Math.abs(sum / n) >= threshold) extreme++;
    }
    return { pValue: extreme / patterns, method: 'exact' };
  }
  const permutations = checkIterations(options.permutations ?? DEFAULT_PERMUTATIONS);
  const random = seededRandom(options.seed ?? 'sign-flip');
  let extreme = 0;
  for (let p = 0; p < permutations; p++) {
    let sum = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      // One draw yields 32 independent signs: the RNG, not the sum, dominated the cost.
      if ((i & 31) === 0) bits = (random() * 4294967296) >>> 0;
      sum += bits & (1 << (i & 31)) ? -diffs[i]! : diffs[i]!;
    }
    if (Math.abs(sum / n) >= threshold) extreme++;
  }
  // +1 counts the observed labelling itself, so a Monte Carlo p-value is never exactly 0.
  return { pValue: (extreme + 1) / (permutations + 1), method: 'monte-carlo' };
}
