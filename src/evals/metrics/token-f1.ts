/**
 * Token F1 as SQuAD computes it: the bag-of-tokens overlap of the normalised answer and reference
 * (precision = shared / answer tokens, recall = shared / reference tokens), the best over several
 * references.
 */
import { scored, undetermined, type Score } from '../../core/score.ts';
import { answerTokens } from './answer-normalization.ts';

export const TOKEN_F1 = 'token_f1';

export interface TokenOverlap {
  f1: number;
  precision: number;
  recall: number;
  shared: number;
}

/** Precision, recall and F1 of the token multisets of `answer` against one `reference`. */
export function tokenOverlap(answer: readonly string[], reference: readonly string[]): TokenOverlap {
  const counts = new Map<string, number>();
  for (const token of reference) counts.set(token, (counts.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of answer) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      shared += 1;
      counts.set(token, left - 1);
    }
  }
  if (shared === 0) return { f1: 0, precision: 0, recall: 0, shared: 0 };
  const precision = shared / answer.length;
  const recall = shared / reference.length;
  return { f1: (2 * precision * recall) / (precision + recall), precision, recall, shared };
}

/** SQuAD token F1 of the answer against its best-matching reference; undetermined without a reference. */
export function tokenF1(answer: string, references: string | readonly string[]): Score {
  const refs = (typeof references === 'string' ? [references] : references)
    .map((text) => ({ text, tokens: answerTokens(text) }))
    .filter((r) => r.tokens.length > 0);
  if (refs.length === 0) {
    return undetermined(TOKEN_F1, 'the case has no reference answer (or it is empty after normalisation) to compare with', { method: 'exact' });
  }
  const tokens = answerTokens(answer);
  let best = { overlap: tokenOverlap(tokens, refs[0]!.tokens), reference: refs[0]!.text };
  for (const ref of refs.slice(1)) {
    const overlap = tokenOverlap(tokens, ref.tokens);
    if (overlap.f1 > best.overlap.f1) best = { overlap, reference: ref.text };
  }
  const { f1, precision, recall, shared } = best.overlap;
  const reason =
    tokens.length === 0
      ? 'the answer has no tokens after normalisation'
      : `${shared} shared token(s): precision ${round3(precision)} of ${tokens.length} answer tokens, recall ${round3(recall)} of the reference's`;
  return scored(TOKEN_F1, f1, reason, {
    method: 'exact',
    evidence: { precision, recall, shared, answerTokens: tokens.length, reference: best.reference },
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
