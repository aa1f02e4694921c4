import { describe, expect, it } from 'vitest';
import { boostedTreesScore, fitBoostedTrees } from './boosted-trees.ts';

describe('boosted trees', () => {
  it('learn an interaction a linear model cannot (XOR of two features), ignoring a noise feature', () => {
    const rows = Array.from({ length: 800 }, (_, i) => [(i % 20) / 20, Math.floor(i / 20) / 40, (i * 7919) % 13]);
    const labels = rows.map(([x, y]) => (x! > 0.5) !== (y! > 0.5));
    const model = fitBoostedTrees(['x', 'y', 'noise'], rows, labels, { trees: 60, depth: 2, learningRate: 0.3, minHessian: 1, lambda: 1 });
    expect(boostedTreesScore(model, [0.9, 0.1, 5])).toBeGreaterThan(0.8);
    expect(boostedTreesScore(model, [0.1, 0.9, 5])).toBeGreaterThan(0.8);
    expect(boostedTreesScore(model, [0.9, 0.9, 5])).toBeLessThan(0.2);
    expect(boostedTreesScore(model, [0.1, 0.1, 5])).toBeLessThan(0.2);
    expect(model.trees.every((t) => t.split.length === 3 && t.leaf.length === 4)).toBe(true);
  });

  it('with colsample, each tree splits on a random subset of the features, and all of them still get used', () => {
    // Two features each carry the label alone; with half the features per tree, some trees can only use the second.
    const rows = Array.from({ length: 400 }, (_, i) => [i % 2, i % 2, (i * 31) % 7]);
    const labels = rows.map(([x]) => x === 1);
    const splitFeatures = (colsample: number): Set<number> => {
      const model = fitBoostedTrees(['a', 'b', 'noise'], rows, labels, { trees: 40, depth: 1, learningRate: 0.3, minHessian: 1, colsample });
      expect(boostedTreesScore(model, [1, 1, 3])).toBeGreaterThan(0.8);
      return new Set(model.trees.filter((t) => t.cut[0]! < 1e9).map((t) => t.split[0]!));
    };
    // Without it every tree takes the first of two equally good features; with it, some trees must take the other.
    expect(splitFeatures(1)).toEqual(new Set([0]));
    expect(splitFeatures(0.5).has(1)).toBe(true);
  });
});
