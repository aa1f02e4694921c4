/**
 * Sentence similarity for the heuristic metrics: cosine of SIF sentence vectors (the offline
 * embedder), rescaled so 0 means "as similar as two sentences people call unrelated".
 *
 * Why rescale: SIF cosines of unrelated sentences are not 0. On STS-B dev (1,500 pairs, human
 * similarity 0–5) the mean cosine per human score bucket is 0–1: 0.386, 1–2: 0.616, 2–3: 0.707,
 * 3–4: 0.795, 4–5: 0.877, 5: 0.926. So value = clamp((cos − 0.39) / (1 − 0.39), 0, 1): 0 at the
 * typical unrelated pair, ~0.37 / 0.52 / 0.66 / 0.80 / 0.88 for the buckets above, 1 for the same
 * text. Anything at or below the unrelated baseline reads as 0; the raw cosine is kept as evidence.
 */
import type { EmbeddingModel } from '../../core/model.ts';
import { createOfflineEmbedder } from '../../providers/offline/embedder-factory.ts';

/** Mean SIF cosine of STS-B dev pairs that people rated 0–1 of 5 (unrelated). */
export const SIF_UNRELATED_COSINE = 0.39;

let sharedEmbedder: EmbeddingModel | undefined;

/** The embedder metrics use when the caller gives none: one offline SIF embedder per process. */
export function defaultMetricEmbedder(): EmbeddingModel {
  sharedEmbedder ??= createOfflineEmbedder();
  return sharedEmbedder;
}

export interface Similarity {
  /** Raw cosine of the two vectors. */
  cosine: number;
  /** The cosine rescaled to [0, 1] against the unrelated baseline (see the file comment). */
  rescaled: number;
}

/**
 * Similarity of two texts, or null when either has no vector (no word the embedder knows, e.g.
 * only numbers or code), which the caller reports as undetermined.
 */
export async function textSimilarity(a: string, b: string, embedder: EmbeddingModel = defaultMetricEmbedder()): Promise<Similarity | null> {
  const { vectors } = await embedder.embed([a, b], { purpose: 'document' });
  const [va, vb] = vectors;
  if (!va || !vb) return null;
  const cosine = cosineOf(va, vb);
  return cosine === null ? null : { cosine, rescaled: rescaleCosine(cosine) };
}

/** Cosine rescaled against the unrelated-pair baseline and clamped to [0, 1]. */
export function rescaleCosine(cosine: number): number {
  return Math.min(1, Math.max(0, (cosine - SIF_UNRELATED_COSINE) / (1 - SIF_UNRELATED_COSINE)));
}

/** Cosine of two vectors, or null when either is all zeros. */
export function cosineOf(a: Float32Array, b: Float32Array): number | null {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return null;
  return dot / Math.sqrt(na * nb);
}
