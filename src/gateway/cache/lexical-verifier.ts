/**
 * The semantic cache's default verifier: boosted trees averaged with a logistic model, over the
 * extended pair features plus the lexical ones (question-IDF overlap, character n-grams, the core
 * question after its "what is the best way to" prefix, word order) and what the words left
 * unshared say, learnt from labelled pairs (a log-odds table and a sparse logistic model). Its
 * tables are fitted on the same calibration half as the models and travel with them, so a policy
 * is one object. With `encoder: 'use-lite'` one more feature closes the list: the two questions'
 * cosine under USE-lite, a sentence encoder (providers/offline/use-lite), which sees meaning the
 * word-level features miss.
 */
import { boostedTreesMaxScore, boostedTreesScore, type BoostedTreesModel } from './boosted-trees.ts';
import { differenceBagScore, type DifferenceBagModel } from './difference-bag.ts';
import type { GuardFlags } from './guards.ts';
import { LEXICAL_FEATURE_NAMES, lexicalPairFeatures } from './lexical-features.ts';
import { logisticMaxScore, logisticScore, type LogisticModel } from './logistic-model.ts';
import { unsharedOddsFeatures, type UnsharedWordOddsTable } from './unshared-word-odds.ts';
import { EXTENDED_FEATURE_NAMES, extendedPairFeatures, type TextProfile } from './verifier-features.ts';
import { WordIdf, type WordIdfTable } from './word-idf.ts';

/** The features of the lexical verifier, in order. */
export const LEXICAL_VERIFIER_FEATURE_NAMES: readonly string[] = [...EXTENDED_FEATURE_NAMES, ...LEXICAL_FEATURE_NAMES, 'unshared_odds_min', 'unshared_odds_max', 'unshared_odds_sum', 'difference_bag'];
/** The sentence encoders a verifier can take a cosine from. */
export type VerifierEncoder = 'use-lite';
/** The lexical features, then the encoder's cosine. */
export const ENCODER_VERIFIER_FEATURE_NAMES: readonly string[] = [...LEXICAL_VERIFIER_FEATURE_NAMES, 'encoder_cosine'];

/** The features a verifier was fitted on, in order. */
export function lexicalVerifierFeatureNames(v: Pick<LexicalTreeVerifier, 'encoder'>): readonly string[] {
  return v.encoder ? ENCODER_VERIFIER_FEATURE_NAMES : LEXICAL_VERIFIER_FEATURE_NAMES;
}

export interface LexicalTreeVerifier {
  kind: 'lexical-trees+logistic';
  /** The sentence encoder whose cosine is the last feature; absent: no such feature. */
  encoder?: VerifierEncoder;
  idf: WordIdfTable;
  unsharedOdds: UnsharedWordOddsTable;
  differenceBag: DifferenceBagModel;
  trees: BoostedTreesModel;
  logistic: LogisticModel;
}

// Building the IDF map costs milliseconds; a policy's table is built once per process.
const idfOfTable = new WeakMap<WordIdfTable, WordIdf>();

/** The IDF lookup of a verifier's table (memoised). */
export function verifierIdf(table: WordIdfTable): WordIdf {
  let idf = idfOfTable.get(table);
  if (!idf) idfOfTable.set(table, (idf = new WordIdf(table)));
  return idf;
}

/** The feature vector of a pair for the lexical verifier. */
export function lexicalVerifierFeatures(v: Pick<LexicalTreeVerifier, 'idf' | 'unsharedOdds' | 'differenceBag'>, a: string, b: string, pa: TextProfile, pb: TextProfile, cosine: number, guards: GuardFlags): number[] {
  return [
    ...extendedPairFeatures(a, b, pa, pb, cosine, guards),
    ...lexicalPairFeatures(pa, pb, verifierIdf(v.idf)),
    ...labelledWordFeatures(v, pa.words, pb.words),
  ];
}

/** The features learnt from labelled pairs' words: unshared-word odds (min, max, sum) and the difference bag's logit. */
export function labelledWordFeatures(v: Pick<LexicalTreeVerifier, 'unsharedOdds' | 'differenceBag'>, a: readonly string[], b: readonly string[]): number[] {
  return [...unsharedOddsFeatures(v.unsharedOdds, a, b), differenceBagScore(v.differenceBag, a, b)];
}

/** The mean of the trees' and the logistic model's probabilities. */
export function lexicalVerifierScore(v: LexicalTreeVerifier, x: readonly number[]): number {
  return (boostedTreesScore(v.trees, x) + logisticScore(v.logistic, x)) / 2;
}

/**
 * An upper bound of the encoder verifier's score over every encoder cosine in [-1, 1], from the
 * other features (`x` without the last one): when it is under the threshold, no cosine can make
 * the pair a hit, so the look-up need not wait for the encoder.
 */
export function lexicalVerifierMaxScore(v: LexicalTreeVerifier, x: readonly number[]): number {
  const free = x.length;
  const row = [...x, 0];
  return (boostedTreesMaxScore(v.trees, row, free) + logisticMaxScore(v.logistic, row, free, -1, 1)) / 2;
}
