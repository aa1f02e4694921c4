/**
 * Percentiles. Latency reports use the nearest-rank definition (the value some request actually
 * took, never an interpolation between two requests); confidence bounds use linear interpolation
 * between order statistics (numpy's default), which is smoother over a few thousand resamples.
 */
import { PlumbError } from '../../core/errors.ts';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

/** Nearest-rank percentile (p in [0, 100]) of non-empty values: the ceil(p/100 · n)-th smallest. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new PlumbError('bad_request', 'Cannot take a percentile of no values.', { hint: 'Check that at least one value was recorded before summarising.' });
  }
  if (!(p >= 0 && p <= 100)) throw new PlumbError('bad_request', `Percentile ${p} is outside [0, 100].`, { hint: 'Pass p as a percentage, e.g. 95.' });
  const sorted = sortedFinite(values);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** p50, p95 and p99 by nearest rank, or null when there are no values. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = sortedFinite(values);
  const at = (p: number): number => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
  return { p50: at(50), p95: at(95), p99: at(99), n: sorted.length };
}

/** Linearly interpolated quantile (q in [0, 1]) of an already sorted, non-empty array. */
export function interpolatedQuantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  if (upper === lower) return low;
  return low + (sorted[upper]! - low) * (position - lower);
}

function sortedFinite(values: readonly number[]): number[] {
  for (const value of values) {
    if (!Number.isFinite(value)) {
      throw new PlumbError('bad_request', `Cannot take percentiles of a non-finite value (${value}).`, { hint: 'Drop undetermined or missing measurements before summarising.' });
    }
  }
  return [...values].sort((a, b) => a - b);
}
