/**
 * Features of a (new question, cached question) pair for the semantic-cache verifier. Cosine alone
 * cannot tell "best laptop under 40k" from "best tablet under 40k"; word overlap, what is left
 * over, the question word and the guards can. Cheap: no model beyond the vectors already computed.
 */
import { contentTerms } from '../../rag/text/content-terms.ts';
import { guardFlags, type GuardFlags } from './guards.ts';

/** Feature names, in the order `pairFeatures` returns them; the verifier's weights follow it. */
export const FEATURE_NAMES = [
  'cosine',
  'cosine_sq',
  'word_jaccard',
  'term_jaccard',
  'term_containment',
  'bigram_jaccard',
  'length_ratio',
  'unshared_terms',
  'unshared_long_terms',
  'same_question_word',
  'identical',
  'numbers_differ',
  'entities_differ',
  'negation_differs',
] as const;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const QUESTION_WORDS = new Set(['what', 'why', 'how', 'when', 'where', 'who', 'which', 'whom', 'whose', 'is', 'are', 'can', 'do', 'does', 'should', 'will', 'would', 'could']);
// Words this long are rare enough that leaving one out usually changes the topic.
const LONG_TERM = 7;

/** What the features need from one text, computed once per text (cached entries keep it). */
export interface TextProfile {
  words: string[];
  terms: Set<string>;
  bigrams: Set<string>;
  questionWord: string;
  normalised: string;
}

/** Profiles a text for `pairFeatures`. */
export function textProfile(text: string): TextProfile {
  const words = [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]);
  const bigrams = new Set<string>();
  for (let i = 1; i < words.length; i++) bigrams.add(`${words[i - 1]} ${words[i]}`);
  return {
    words,
    terms: new Set(contentTerms(text)),
    bigrams,
    questionWord: words.find((w) => QUESTION_WORDS.has(w)) ?? '',
    normalised: words.join(' '),
  };
}

/** The feature vector of a pair, given both texts, their profiles and their vectors' cosine. */
export function pairFeatures(a: string, b: string, pa: TextProfile, pb: TextProfile, cosine: number, guards: GuardFlags = guardFlags(a, b)): number[] {
  const termsShared = intersectionSize(pa.terms, pb.terms);
  const termsUnion = pa.terms.size + pb.terms.size - termsShared;
  let unshared = 0;
  let unsharedLong = 0;
  for (const [x, y] of [[pa.terms, pb.terms], [pb.terms, pa.terms]] as const) {
    for (const t of x) {
      if (y.has(t)) continue;
      unshared++;
      if (t.length >= LONG_TERM) unsharedLong++;
    }
  }
  const lengths = [pa.words.length, pb.words.length];
  return [
    cosine,
    cosine * cosine,
    jaccard(new Set(pa.words), new Set(pb.words)),
    termsUnion === 0 ? 1 : termsShared / termsUnion,
    Math.min(pa.terms.size, pb.terms.size) === 0 ? 0 : termsShared / Math.min(pa.terms.size, pb.terms.size),
    jaccard(pa.bigrams, pb.bigrams),
    Math.max(...lengths) === 0 ? 1 : Math.min(...lengths) / Math.max(...lengths),
    Math.log1p(unshared),
    Math.log1p(unsharedLong),
    pa.questionWord === pb.questionWord ? 1 : 0,
    pa.normalised === pb.normalised ? 1 : 0,
    guards.numbers ? 1 : 0,
    guards.entities ? 1 : 0,
    guards.negation ? 1 : 0,
  ];
}

function intersectionSize(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = intersectionSize(a, b);
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}
