/**
 * Smooth Inverse Frequency weights (Arora, Liang & Ma 2017): weight(w) = a / (a + p(w)).
 *
 * p(w) comes from the word's rank. GloVe 6B lists its vocabulary by corpus frequency and wink
 * keeps that order (only dropping numbers, single letters and words with apostrophes or dots),
 * so Zipf's law p(rank r) = 1 / (r × H_N), H_N the N-th harmonic number, estimates it without
 * any corpus at run time.
 */
import type { WordVectors } from './word-vectors.ts';

/** Zipf estimate of the unigram probability of each row (row 0 = most frequent). */
export function zipfProbabilities(size: number): Float64Array {
  let harmonic = 0;
  for (let r = 1; r <= size; r++) harmonic += 1 / r;
  const p = new Float64Array(size);
  for (let r = 0; r < size; r++) p[r] = 1 / ((r + 1) * harmonic);
  return p;
}

/** SIF weight a / (a + p) per row. */
export function sifWeights(probabilities: Float64Array, smoothing: number): Float32Array {
  const weights = new Float32Array(probabilities.length);
  for (let r = 0; r < probabilities.length; r++) weights[r] = smoothing / (smoothing + probabilities[r]!);
  return weights;
}

/**
 * The common direction SIF removes, estimated from the vectors alone: the expected SIF sentence
 * vector under the Zipf unigram distribution, Σ p(w)·weight(w)·v(w), normalised. For sentences of
 * more than a few words it dominates the uncentred second moment, i.e. it is the first principal
 * component a corpus would give (bench/stsb compares it with one estimated from STS-B train).
 */
export function expectedCommonComponent(vectors: WordVectors, probabilities: Float64Array, weights: Float32Array): Float32Array {
  const acc = new Float64Array(vectors.dimensions);
  for (let r = 0; r < vectors.size; r++) vectors.addRowTo(acc, r, probabilities[r]! * weights[r]!);
  return unitFloat32(acc);
}

/** acc as a unit-length Float32Array (all zeros stays all zeros). */
export function unitFloat32(acc: Float64Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < acc.length; d++) norm += acc[d]! * acc[d]!;
  norm = Math.sqrt(norm);
  const out = new Float32Array(acc.length);
  if (norm === 0) return out;
  for (let d = 0; d < acc.length; d++) out[d] = acc[d]! / norm;
  return out;
}
