import { describe, expect, it } from 'vitest';
import { TopKHeap } from './top-k-heap.ts';

describe('TopKHeap', () => {
  it('keeps the k best of many candidates, best first', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453));
    const heap = new TopKHeap(5);
    scores.forEach((s, i) => heap.push(i, s));
    const expected = scores.map((score, slot) => ({ slot, score })).sort((a, b) => b.score - a.score).slice(0, 5);
    expect(heap.drainDescending()).toEqual(expected);
  });

  it('reports −∞ as the threshold until it is full', () => {
    const heap = new TopKHeap(2);
    heap.push(0, 1);
    expect(heap.threshold).toBe(Number.NEGATIVE_INFINITY);
    heap.push(1, 3);
    expect(heap.threshold).toBe(1);
  });
});
