/**
 * Near-duplicate questions in a generated set: the same after SQuAD normalisation, or sharing at
 * least 80% of their content terms (Jaccard) — "What is the default chunk size?" and "What is the
 * chunk size by default?" — or, when vectors are given, a SIF cosine of at least 0.95 (paraphrases
 * with the same words reordered or inflected). The first question seen is kept.
 */
import { contentTermSet } from '../../text/content-terms.ts';
import { normalizeAnswer } from '../metrics/answer-normalization.ts';
import { cosineOf } from '../metrics/sif-similarity.ts';

export const DUPLICATE_TERM_JACCARD = 0.8;
export const DUPLICATE_COSINE = 0.95;

interface Seen {
  normalized: string;
  terms: Set<string>;
  vector: Float32Array | undefined;
}

/** Keeps track of accepted questions and tells whether a new one duplicates any of them. */
export class QuestionDeduper {
  private readonly seen: Seen[] = [];

  /** Accepts the question and returns true, or returns false when it duplicates an accepted one. */
  add(question: string, vector?: Float32Array): boolean {
    const candidate: Seen = { normalized: normalizeAnswer(question), terms: contentTermSet(question), vector };
    if (this.seen.some((s) => isDuplicate(s, candidate))) return false;
    this.seen.push(candidate);
    return true;
  }

  get size(): number {
    return this.seen.length;
  }
}

function isDuplicate(a: Seen, b: Seen): boolean {
  if (a.normalized === b.normalized) return true;
  if (jaccard(a.terms, b.terms) >= DUPLICATE_TERM_JACCARD) return true;
  if (a.vector && b.vector) {
    const cosine = cosineOf(a.vector, b.vector);
    if (cosine !== null && cosine >= DUPLICATE_COSINE) return true;
  }
  return false;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared);
}
