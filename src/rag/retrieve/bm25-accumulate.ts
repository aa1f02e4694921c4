/**
 * The hot loops of BM25 scoring: add one term's contribution to every document in its postings.
 * Split by field count and by whether touched slots are tracked so that V8 sees tight,
 * monomorphic loops — this is where a query at 100k chunks spends most of its time.
 */

/** One term's postings: document slots and `fieldCount` frequencies per posting, in field order. */
export interface Postings {
  slots: Int32Array;
  freqs: Uint16Array;
  length: number;
}

/**
 * Adds idf · tf' / (tf' + k1) to `scores` for every posting, where tf' = Σ_f freq_f · factor_f
 * (field weight over length normalisation); for queries that touch a large share of the slots.
 */
export function accumulateDense(postings: Postings, idf: number, k1: number, factors: Float32Array, fieldCount: number, scores: Float64Array): void {
  const { slots, freqs, length } = postings;
  if (fieldCount === 1) {
    for (let i = 0; i < length; i++) {
      const slot = slots[i]!;
      const tf = freqs[i]! * factors[slot]!;
      scores[slot]! += (idf * tf) / (tf + k1);
    }
  } else if (fieldCount === 2) {
    for (let i = 0; i < length; i++) {
      const slot = slots[i]!;
      const tf = freqs[2 * i]! * factors[2 * slot]! + freqs[2 * i + 1]! * factors[2 * slot + 1]!;
      scores[slot]! += (idf * tf) / (tf + k1);
    }
  } else {
    for (let i = 0; i < length; i++) {
      const slot = slots[i]!;
      let tf = 0;
      for (let f = 0; f < fieldCount; f++) tf += freqs[i * fieldCount + f]! * factors[slot * fieldCount + f]!;
      scores[slot]! += (idf * tf) / (tf + k1);
    }
  }
}

/** Like accumulateDense, but records each slot the first time it scores; returns the new touched count. */
export function accumulateSparse(
  postings: Postings,
  idf: number,
  k1: number,
  factors: Float32Array,
  fieldCount: number,
  scores: Float64Array,
  touchedSlots: Int32Array,
  touched: number,
): number {
  const { slots, freqs, length } = postings;
  for (let i = 0; i < length; i++) {
    const slot = slots[i]!;
    let tf = 0;
    for (let f = 0; f < fieldCount; f++) tf += freqs[i * fieldCount + f]! * factors[slot * fieldCount + f]!;
    if (scores[slot] === 0) touchedSlots[touched++] = slot;
    scores[slot]! += (idf * tf) / (tf + k1);
  }
  return touched;
}
