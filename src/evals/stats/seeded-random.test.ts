import { describe, expect, it } from 'vitest';
import { randomIndex, seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('repeats the same stream for the same seed and differs across seeds', () => {
    const draw = (seed: number | string): number[] => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('ndcg@10')).toEqual(draw('ndcg@10'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('is roughly uniform on [0, 1)', () => {
    const random = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[randomIndex(random, 10)]! += 1;
    }
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});
