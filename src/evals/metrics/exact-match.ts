/** Exact match after SQuAD normalisation, the best over several references. */
import { scored, undetermined, type Score } from '../../core/score.ts';
import { normalizeAnswer } from './answer-normalization.ts';

export const EXACT_MATCH = 'exact_match';

/** 1 when the answer equals a reference after SQuAD normalisation, else 0; undetermined without a reference. */
export function exactMatch(answer: string, references: string | readonly string[]): Score {
  const refs = (typeof references === 'string' ? [references] : references).filter((r) => normalizeAnswer(r) !== '');
  if (refs.length === 0) {
    return undetermined(EXACT_MATCH, 'the case has no reference answer (or it is empty after normalisation) to compare with', { method: 'exact' });
  }
  const normalizedAnswer = normalizeAnswer(answer);
  const match = refs.find((r) => normalizeAnswer(r) === normalizedAnswer);
  const evidence = { answer: normalizedAnswer, references: refs.map(normalizeAnswer) };
  return match === undefined
    ? scored(EXACT_MATCH, 0, `the normalised answer "${clip(normalizedAnswer)}" equals none of ${refs.length} reference(s)`, { method: 'exact', evidence })
    : scored(EXACT_MATCH, 1, `the normalised answer equals the reference "${clip(normalizeAnswer(match))}"`, { method: 'exact', evidence });
}

function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
