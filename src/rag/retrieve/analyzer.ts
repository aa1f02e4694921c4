/**
 * Text → index terms: Unicode-aware word split (letters and digits), lowercase, optional English
 * stopwords and optional Porter stemming. The same analyzer must index documents and queries.
 */
import { stemmer } from 'stemmer';
import { ENGLISH_STOPWORDS } from './english-stopwords.ts';

export interface AnalyzerOptions {
  /** Drop Lucene's English stopwords. Default false. */
  stopwords?: boolean;
  /** Porter-stem each term. Default false. */
  stem?: boolean;
}

export type Analyzer = (text: string) => string[];

// Letters (any script) and digits, with combining marks kept inside words.
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;
// Stemming is the costly step and vocabularies are Zipfian, so memoising pays; the cap keeps a
// long-running server from growing without bound on junk tokens.
const STEM_CACHE_LIMIT = 200_000;

/** Builds an analyzer with the given options. */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const dropStopwords = options.stopwords ?? false;
  const stem = options.stem ?? false;
  const stemCache = new Map<string, string>();

  const stemOf = (word: string): string => {
    let stemmed = stemCache.get(word);
    if (stemmed === undefined) {
      stemmed = stemmer(word);
      if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
      stemCache.set(word, stemmed);
    }
    return stemmed;
  };

  return (text: string): string[] => {
    const terms: string[] = [];
    for (const match of text.toLowerCase().matchAll(WORD)) {
      const word = match[0];
      if (dropStopwords && ENGLISH_STOPWORDS.has(word)) continue;
      terms.push(stem ? stemOf(word) : word);
    }
    return terms;
  };
}
