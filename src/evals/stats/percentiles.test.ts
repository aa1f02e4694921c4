import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { interpolatedQuantile, percentile, percentiles } from './percentiles.ts';

describe('nearest-rank percentiles', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

  it('takes the ceil(p/100 · n)-th smallest value', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile(hundred, 100)).toBe(100);
    // n = 5: p50 → rank 3, p95 → rank ceil(4.75) = 5.
    expect(percentiles([10, 30, 20, 50, 40])).toEqual({ p50: 30, p95: 50, p99: 50, n: 5 });
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7, n: 1 });
  });

  it('returns null or throws on no values, and refuses NaN', () => {
    expect(percentiles([])).toBeNull();
    expect(() => percentile([], 50)).toThrow(PlumbError);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(/non-finite/);
    expect(() => percentile([1], 101)).toThrow(/outside/);
  });

  it('interpolates quantiles linearly between order statistics', () => {
    expect(interpolatedQuantile([0, 10], 0.25)).toBe(2.5);
    expect(interpolatedQuantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});
