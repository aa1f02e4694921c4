import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { significantDrop, worsenedCases } from './significant-drop.ts';

function pair(n: number, shift: number, noise: number, seed: number): { base: Map<string, number>; cur: Map<string, number> } {
  const random = seededRandom(seed);
  const base = new Map<string, number>();
  const cur = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const level = random();
    base.set(`q${i}`, level);
    cur.set(`q${i}`, level + shift + (random() - 0.5) * noise);
  }
  return { base, cur };
}

describe('significantDrop', () => {
  it('flags a drop well beyond the allowance, names the worst cases', () => {
    const { base, cur } = pair(300, -0.05, 0.1, 1);
    const decision = significantDrop(base, cur, 0.01);
    expect(decision.regressed).toBe(true);
    expect(decision.drop).toBeGreaterThan(0.04);
    expect(decision.diff.ci95[1]).toBeLessThan(-0.01);
    expect(decision.reason).toMatch(/entirely below/);
    expect(decision.worsened.length).toBeGreaterThan(200);
    expect(decision.worsened[0]!.change).toBeLessThanOrEqual(decision.worsened[1]!.change);
  });

  it('tolerates a drop within the allowance even when it is significant', () => {
    const { base, cur } = pair(1000, -0.005, 0.02, 2);
    const decision = significantDrop(base, cur, 0.01);
    expect(decision.diff.ci95[1]).toBeLessThan(0); // real, but small
    expect(decision.regressed).toBe(false);
    expect(decision.reason).toMatch(/within the allowed drop/);
  });

  it('does not fail on a drop beyond the allowance that noise could explain', () => {
    const { base, cur } = pair(20, -0.03, 0.6, 3);
    const decision = significantDrop(base, cur, 0.01);
    expect(decision.drop).toBeGreaterThan(0.01);
    expect(decision.regressed).toBe(false);
    expect(decision.reason).toMatch(/not significantly/);
  });

  it('with maxDrop 0 fails on any significant drop, and never on an improvement', () => {
    const worse = pair(300, -0.01, 0.02, 4);
    expect(significantDrop(worse.base, worse.cur, 0).regressed).toBe(true);
    const better = pair(300, 0.05, 0.02, 5);
    expect(significantDrop(better.base, better.cur, 0).regressed).toBe(false);
  });

  it('rejects a negative allowance', () => {
    expect(() => significantDrop(new Map([['a', 1]]), new Map([['a', 1]]), -0.1)).toThrow(/maxDrop/);
  });

  it('lists worsened cases worst first, ignoring unchanged and unmatched ones', () => {
    const base = new Map([['a', 1], ['b', 0.5], ['c', 0.5], ['d', 1]]);
    const cur = new Map([['a', 0.2], ['b', 0.5], ['c', 0.4]]);
    expect(worsenedCases(base, cur).map((c) => c.caseId)).toEqual(['a', 'c']);
  });
});
