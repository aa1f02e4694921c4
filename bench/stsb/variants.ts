/** The embedders compared on STS-B: plain mean of word vectors and SIF variants. */
import type { EmbeddingModel } from '../../src/core/model.ts';
import { ZERO_COST } from '../../src/core/usage.ts';
import { SifEmbedder } from '../../src/providers/offline/sif-embedder.ts';
import { vocabularyRows } from '../../src/providers/offline/sif-embedder-tokens.ts';
import { unitFloat32 } from '../../src/providers/offline/sif-embedder-weights.ts';
import { loadWordVectors, type WordVectorDtype } from '../../src/providers/offline/word-vectors.ts';

/** Unweighted average of the word vectors (same tokenizer and vocabulary as SIF). */
export function meanOfWordVectors(cacheDir: string, dtype: WordVectorDtype): EmbeddingModel {
  return {
    specificationVersion: 'v1',
    provider: 'bench',
    modelId: `mean-wink-sg-100d-${dtype}`,
    dimensions: 100,
    maxBatchSize: 10_000,
    async embed(texts) {
      const vectors = await loadWordVectors({ cacheDir, dtype });
      let inputTokens = 0;
      const out = texts.map((text) => {
        const { rows, tokenCount } = vocabularyRows(text, (w) => vectors.rowOfWord(w));
        inputTokens += tokenCount;
        const acc = new Float64Array(100);
        for (const row of rows) vectors.addRowTo(acc, row, 1);
        return unitFloat32(acc);
      });
      return { vectors: out, usage: { inputTokens, outputTokens: 0 }, cost: ZERO_COST };
    },
  };
}

/** First principal component (uncentred, as SIF does) of the given vectors, by power iteration. */
export function firstPrincipalComponent(vectors: Float32Array[]): Float32Array {
  const dims = vectors[0]!.length;
  const gram = new Float64Array(dims * dims);
  for (const v of vectors) for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) gram[i * dims + j]! += v[i]! * v[j]!;
  let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let iter = 0; iter < 200; iter++) {
    const next = new Float64Array(dims);
    for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) next[i]! += gram[i * dims + j]! * u[j]!;
    u = Float64Array.from(unitFloat32(next));
  }
  return Float32Array.from(u);
}

/** SIF with its common component estimated from a reference set of sentences (here STS-B train). */
export async function sifWithCorpusComponent(cacheDir: string, dtype: WordVectorDtype, sentences: string[], smoothing: number): Promise<SifEmbedder> {
  const plain = new SifEmbedder({ cacheDir, dtype, smoothing, commonComponent: 'none' });
  const vectors: Float32Array[] = [];
  for (let i = 0; i < sentences.length; i += plain.maxBatchSize) vectors.push(...(await plain.embed(sentences.slice(i, i + plain.maxBatchSize))).vectors);
  const nonZero = vectors.filter((v) => v.some((x) => x !== 0));
  return new SifEmbedder({ cacheDir, dtype, smoothing, commonComponent: firstPrincipalComponent(nonZero) });
}
