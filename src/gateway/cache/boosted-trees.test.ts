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
});
