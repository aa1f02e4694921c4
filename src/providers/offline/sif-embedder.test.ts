import { beforeAll, describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from './embedder-factory.ts';
import { SifEmbedder } from './sif-embedder.ts';
import { vocabularyRows, wordTokens } from './sif-embedder-tokens.ts';
import { ensureWordVectorCache } from './word-vectors.ts';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

describe('wordTokens', () => {
  it('lower-cases, strips accents and punctuation, keeps inner hyphens', () => {
    expect(wordTokens('Café au lait, long-distance (H1N1)! -- e.g. "quoted"')).toEqual([
      'cafe', 'au', 'lait', 'long-distance', 'h1n1', 'e', 'g', 'quoted',
    ]);
  });

  it('looks up unknown hyphenated words part by part and skips unknown words', () => {
    const vocab = new Map([['related', 0], ['long-distance', 1], ['cat', 2]]);
    const { rows, tokenCount } = vocabularyRows('Covid-related long-distance zzyzx cat', (w) => vocab.get(w) ?? -1);
    expect(rows).toEqual([0, 1, 2]);
    expect(tokenCount).toBe(4);
  });
});

// The real model, read through the binary cache. Building the cache (once per machine, in
// ~/.cache/plumb or $PLUMB_CACHE_DIR) takes a few seconds; every later run just loads it.
describe('SifEmbedder on the wink vectors', () => {
  const embedder = new SifEmbedder();

  beforeAll(async () => {
    await ensureWordVectorCache();
    await embedder.ready();
  }, 120_000);

  it('scores paraphrases above unrelated sentences', async () => {
    const { vectors } = await embedder.embed([
      'The cat sat on the mat.',
      'A kitten was sitting on the rug.',
      'Stock markets fell sharply after the interest rate decision.',
      'Shares dropped when the central bank raised rates.',
    ]);
    const [cat, kitten, stocks, shares] = vectors as [Float32Array, Float32Array, Float32Array, Float32Array];
    expect(cosine(cat, kitten)).toBeGreaterThan(cosine(cat, stocks) + 0.2);
    expect(cosine(stocks, shares)).toBeGreaterThan(cosine(stocks, kitten) + 0.2);
  });

  it('returns unit vectors of 100 dimensions, and zero vectors for texts without known words', async () => {
    const { vectors } = await embedder.embed(['Protein folding in bacteria.', 'zzqxj qqvvk 12345', '']);
    expect(vectors.map((v) => v.length)).toEqual([100, 100, 100]);
    expect(norm(vectors[0]!)).toBeCloseTo(1, 5);
    expect(vectors[1]!.every((x) => x === 0)).toBe(true);
    expect(vectors[2]!.every((x) => x === 0)).toBe(true);
  });

  it('keeps input order and gives the same vector alone as in a batch', async () => {
    const texts = ['gene expression in mice', 'the football season opened', 'volcanic eruptions'];
    const batch = await embedder.embed(texts);
    for (const [i, text] of texts.entries()) {
      const alone = await embedder.embed([text]);
      expect(Array.from(alone.vectors[0]!)).toEqual(Array.from(batch.vectors[i]!));
    }
  });

  it('counts word tokens as usage at zero cost, and names itself', async () => {
    const result = await embedder.embed(['Two words', 'and three more']);
    expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 0 });
    expect(result.cost.usd).toBe(0);
    expect(embedder).toMatchObject({ provider: 'plumb-offline', modelId: 'sif-wink-sg-100d-v1', dimensions: 100 });
    expect(new SifEmbedder({ commonComponent: 'none' }).modelId).not.toBe(embedder.modelId);
  });

  it('refuses batches above maxBatchSize with a hint', async () => {
    const texts = new Array<string>(embedder.maxBatchSize + 1).fill('x');
    await expect(embedder.embed(texts)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('is what createOfflineEmbedder returns', async () => {
    const model = createOfflineEmbedder();
    expect(model.modelId).toBe(embedder.modelId);
    const [a] = (await model.embed(['gene expression in mice'])).vectors;
    const [b] = (await embedder.embed(['gene expression in mice'])).vectors;
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });
});
