import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { bootstrapMeanCI } from './bootstrap.ts';
import { seededRandom } from './seeded-random.ts';

function sample(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => (random() < 0.6 ? 1 : 0));
}

describe('bootstrapMeanCI', () => {
  it('gives the exact mean and an interval that contains it', () => {
    const values = [0.2, 0.4, 0.9, 1, 0.5, 0.3];
    const { mean, ci95, n } = bootstrapMeanCI(values, { seed: 1 });
    expect(mean).toBeCloseTo(3.3 / 6, 12);
    expect(n).toBe(6);
    expect(ci95[0]).toBeLessThan(mean);
    expect(ci95[1]).toBeGreaterThan(mean);
    expect(ci95[0]).toBeGreaterThanOrEqual(0.2);
    expect(ci95[1]).toBeLessThanOrEqual(1);
  });

  it('is deterministic for a seed and changes with it', () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 50 }, () => random());
    expect(bootstrapMeanCI(values, { seed: 9 })).toEqual(bootstrapMeanCI(values, { seed: 9 }));
    expect(bootstrapMeanCI(values, { seed: 9 }).ci95).not.toEqual(bootstrapMeanCI(values, { seed: 10 }).ci95);
  });

  it('narrows roughly as 1/√n and matches the normal approximation', () => {
    const width = (n: number): number => {
      const { ci95 } = bootstrapMeanCI(sample(n, 5), { seed: 2 });
      return ci95[1] - ci95[0];
    };
    const small = width(100);
    const large = width(1600);
    // 16× the data → about a quarter of the width.
    expect(large / small).toBeGreaterThan(0.18);
    expect(large / small).toBeLessThan(0.33);
    // Bernoulli(≈0.6): 2 · 1.96 · √(p(1−p)/n) ≈ 0.048 at n = 1600.
    expect(large).toBeGreaterThan(0.04);
    expect(large).toBeLessThan(0.056);
  });

  it('collapses to the value for a constant sample', () => {
    expect(bootstrapMeanCI([0.5, 0.5, 0.5])).toEqual({ mean: 0.5, ci95: [0.5, 0.5], n: 3 });
  });

  it('refuses empty input, NaN and a bad iteration count', () => {
    expect(() => bootstrapMeanCI([])).toThrow(PlumbError);
    expect(() => bootstrapMeanCI([1, Number.NaN])).toThrow(/non-finite/);
    expect(() => bootstrapMeanCI([1, 2], { iterations: 0 })).toThrow(/iterations/);
  });
});
