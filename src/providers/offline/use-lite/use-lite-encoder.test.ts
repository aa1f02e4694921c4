import { afterAll, describe, expect, it } from 'vitest';
import { UseLiteEncoder, USE_LITE_DIMENSIONS } from './use-lite-encoder.ts';

const encoder = new UseLiteEncoder();
afterAll(() => encoder.close());

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('UseLiteEncoder (the real model, on its thread)', () => {
  it('embeds into unit 512-d vectors that put paraphrases closer than other questions', async () => {
    const { vectors } = await encoder.embed(['How do I learn Python quickly?', 'What is the fastest way to learn Python?', 'How do I cook rice in a microwave?']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(USE_LITE_DIMENSIONS);
      expect(dot(v, v)).toBeCloseTo(1, 4);
    }
    expect(dot(vectors[0]!, vectors[1]!)).toBeGreaterThan(dot(vectors[0]!, vectors[2]!) + 0.2);
  });

  it('gives the same vector for a text alone or in a batch, and answers concurrent calls in order', async () => {
    const texts = ['Why is the sky blue?', 'How can I lose weight fast?', 'Which laptop is best under 40k?'];
    const [alone, batch] = await Promise.all([Promise.all(texts.map((t) => encoder.embed([t]))), encoder.embed(texts)]);
    texts.forEach((_, i) => expect(dot(alone[i]!.vectors[0]!, batch.vectors[i]!)).toBeCloseTo(1, 4));
  });

  it('answers an empty batch without starting work and rejects an oversized one', async () => {
    expect((await encoder.embed([])).vectors).toEqual([]);
    await expect(encoder.embed(new Array<string>(encoder.maxBatchSize + 1).fill('x'))).rejects.toThrow(/at most 256/);
  });

  it('starts a new thread after close()', async () => {
    const own = new UseLiteEncoder();
    await own.embed(['first']);
    await own.close();
    const { vectors } = await own.embed(['second']);
    expect(vectors[0]).toHaveLength(USE_LITE_DIMENSIONS);
    await own.close();
  });

  it('spreads concurrent calls over its threads, with the same vectors as one thread', async () => {
    const two = new UseLiteEncoder({ threads: 2 });
    try {
      const texts = ['Why is the sky blue?', 'How can I lose weight fast?', 'Which laptop is best under 40k?', 'How do I learn Python?'];
      const results = await Promise.all(texts.map((t) => two.embed([t])));
      expect(two.threadsStarted).toBe(2);
      const single = await encoder.embed(texts);
      texts.forEach((_, i) => expect(dot(results[i]!.vectors[0]!, single.vectors[i]!)).toBeCloseTo(1, 4));
    } finally {
      await two.close();
    }
    expect(() => new UseLiteEncoder({ threads: 0 })).toThrow(/positive integer/);
  });
});
