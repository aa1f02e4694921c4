/**
 * The content terms of a text: lowercase words and numbers, function words removed, Porter-stemmed,
 * so "infected children" and "infection in a child" share terms. Used to match questions to
 * sentences and answer sentences to the passages they cite.
 */
import { stemmer } from 'stemmer';
import { FUNCTION_WORDS } from './function-words.ts';

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;
// Stemming dominates the cost and vocabularies are Zipfian; the cap bounds a long-running process.
const STEM_CACHE_LIMIT = 100_000;
const stemCache = new Map<string, string>();

/** Content terms of `text`, in order, with repeats. */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    // Single letters are list markers and initials far more often than content.
    if (word.length === 1 && !/\d/.test(word)) continue;
    if (FUNCTION_WORDS.has(word)) continue;
    terms.push(stemOf(word));
  }
  return terms;
}

/** Distinct content terms of `text`. */
export function contentTermSet(text: string): Set<string> {
  return new Set(contentTerms(text));
}

function stemOf(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    // Numbers and codes ("covid19", "h1n1") are not English words; stemming only mangles them.
    stem = /\d/.test(word) ? word : stemmer(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}
