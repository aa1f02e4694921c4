/**
 * SQuAD's answer normalisation (the official evaluate-v2.0 script): lowercase, drop punctuation,
 * drop the articles a/an/the, collapse whitespace. plumb answers carry citation markers ("[2]"),
 * which are stripped first: otherwise the "2" would count as an answer token.
 */
import { stripCitationMarkers } from '../../rag/answer/citations.ts';
import type { GoldenCase } from '../types.ts';

// SQuAD removes Python's string.punctuation; \p{P} and \p{S} also cover curly quotes and dashes.
const PUNCTUATION = /[\p{P}\p{S}]/gu;
const ARTICLES = /\b(?:a|an|the)\b/g;

/** SQuAD-normalised answer text: lowercase, no punctuation, no articles, single spaces. */
export function normalizeAnswer(text: string): string {
  return stripCitationMarkers(text)
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/)
    .filter((token) => token !== '')
    .join(' ');
}

/** The tokens of a SQuAD-normalised answer. */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** The reference answers of a case (none when it has no usable reference). */
export function referencesOf(goldenCase: Pick<GoldenCase, 'referenceAnswer'>): string[] {
  const reference = goldenCase.referenceAnswer;
  return reference === undefined || reference.trim() === '' ? [] : [reference];
}
