/**
 * Features of a (new question, cached question) pair for the semantic-cache verifier. Cosine alone
 * cannot tell "best laptop under 40k" from "best tablet under 40k"; what decides is the words one
 * question has and the other lacks — how rare they are, and whether the other question has a word
 * that means the same ("below"/"under") — plus the question word and the guards. Cheap: the word
 * vectors are the ones the offline embedder already loaded.
 */
import { FUNCTION_WORDS } from '../../text/function-words.ts';
import { contentTerms } from '../../text/content-terms.ts';
import { wordTokens } from '../../providers/offline/sif-embedder-tokens.ts';
import { guardFlags, type GuardFlags } from './guards.ts';

/** Feature names, in the order `pairFeatures` returns them; the verifier's weights follow it. */
export const FEATURE_NAMES = [
  'cosine',
  'cosine_sq',
  'word_jaccard',
  'term_jaccard',
  'bigram_jaccard',
  'length_ratio',
  'unshared_terms',
  'rare_unshared',
  'rare_jaccard',
  'align_min',
  'align_mean',
  'unaligned',
  'same_question_word',
  'identical',
  'numbers_differ',
  'entities_differ',
  'negation_differs',
] as const;

/** Word vectors by word: frequency rank (rarity) and a unit vector; `loadWordVectors()` gives one. */
export interface Lexicon {
  readonly size: number;
  rowOfWord(word: string): number;
  vector(row: number): Float32Array;
}

/** A content word of a profiled text. */
export interface ContentWord {
  word: string;
  stem: string;
  /** 0 for the most frequent word, 1 for the rarest or an unknown one. */
  rarity: number;
  vector: Float32Array | undefined;
}

/** What the features need from one text, computed once per text (cached entries keep it). */
export interface TextProfile {
  words: string[];
  bigrams: Set<string>;
  content: ContentWord[];
  stems: Set<string>;
  questionWord: string;
  normalised: string;
}

const QUESTION_WORDS = new Set(['what', 'why', 'how', 'when', 'where', 'who', 'which', 'whom', 'whose', 'is', 'are', 'can', 'do', 'does', 'should', 'will', 'would', 'could']);
// Below this cosine two words are not interchangeable ("laptop"/"tablet" sit near it, "below"/"under" well above).
export const ALIGNED = 0.5;

// Stemming and dequantising a word's vector dominated profiling; vocabularies are Zipfian, so a
// bounded memo per lexicon serves most words. Entries are shared and never mutated.
const WORD_MEMO_LIMIT = 50_000;
const wordMemo = new WeakMap<Lexicon, Map<string, ContentWord>>();

function contentWord(word: string, lexicon: Lexicon): ContentWord {
  let memo = wordMemo.get(lexicon);
  if (!memo) wordMemo.set(lexicon, (memo = new Map()));
  let c = memo.get(word);
  if (!c) {
    const row = lexicon.rowOfWord(word);
    c = { word, stem: contentTerms(word)[0] ?? word, rarity: row < 0 ? 1 : Math.log(row + 2) / Math.log(lexicon.size + 1), vector: row < 0 ? undefined : unit(lexicon.vector(row)) };
    if (memo.size >= WORD_MEMO_LIMIT) memo.clear();
    memo.set(word, c);
  }
  return c;
}

/** Profiles a text for `pairFeatures`. */
export function textProfile(text: string, lexicon: Lexicon): TextProfile {
  const words = wordTokens(text);
  const bigrams = new Set<string>();
  for (let i = 1; i < words.length; i++) bigrams.add(`${words[i - 1]} ${words[i]}`);
  const content: ContentWord[] = [];
  for (const word of new Set(words)) {
    if (FUNCTION_WORDS.has(word) || (word.length === 1 && !/\d/.test(word))) continue;
    content.push(contentWord(word, lexicon));
  }
  return {
    words,
    bigrams,
    content,
    stems: new Set(content.map((c) => c.stem)),
    questionWord: words.find((w) => QUESTION_WORDS.has(w)) ?? '',
    normalised: words.join(' '),
  };
}

/** The feature vector of a pair, given both texts, their profiles and their sentence vectors' cosine. */
export function pairFeatures(a: string, b: string, pa: TextProfile, pb: TextProfile, cosine: number, guards: GuardFlags = guardFlags(a, b)): number[] {
  let unshared = 0;
  let rareUnshared = 0;
  let rareShared = 0;
  let alignSum = 0;
  let alignMin = 1;
  let unaligned = 0;
  for (const [x, y] of [[pa, pb], [pb, pa]] as const) {
    for (const w of x.content) {
      if (y.stems.has(w.stem)) {
        rareShared += w.rarity;
        continue;
      }
      unshared++;
      rareUnshared += w.rarity;
      const best = alignmentIn(w, y);
      alignSum += best;
      alignMin = Math.min(alignMin, best);
      if (best < ALIGNED) unaligned++;
    }
  }
  const lengths = [pa.words.length, pb.words.length];
  return [
    cosine,
    cosine * cosine,
    jaccard(new Set(pa.words), new Set(pb.words)),
    jaccard(pa.stems, pb.stems),
    jaccard(pa.bigrams, pb.bigrams),
    Math.max(...lengths) === 0 ? 1 : Math.min(...lengths) / Math.max(...lengths),
    Math.log1p(unshared),
    Math.log1p(rareUnshared),
    rareShared + rareUnshared === 0 ? 1 : rareShared / (rareShared + rareUnshared),
    alignMin,
    unshared === 0 ? 1 : alignSum / unshared,
    Math.log1p(unaligned),
    pa.questionWord === pb.questionWord ? 1 : 0,
    pa.normalised === pb.normalised ? 1 : 0,
    guards.numbers ? 1 : 0,
    guards.entities ? 1 : 0,
    guards.negation ? 1 : 0,
  ];
}

// The verifiers ask for the same word's alignment to the same text up to three times (two feature
// sets); each profile remembers the answers.
const alignments = new WeakMap<TextProfile, Map<ContentWord, number>>();

/** `bestAlignment` of `w` to the content words of `p`, memoised per profile. */
export function alignmentIn(w: ContentWord, p: TextProfile): number {
  let m = alignments.get(p);
  if (!m) alignments.set(p, (m = new Map()));
  let best = m.get(w);
  if (best === undefined) m.set(w, (best = bestAlignment(w, p.content)));
  return best;
}

/** The best cosine of `w`'s vector to one of `others`' (0 without vectors). */
export function bestAlignment(w: ContentWord, others: readonly ContentWord[]): number {
  if (!w.vector) return 0;
  let best = 0;
  for (const o of others) {
    if (!o.vector) continue;
    let dot = 0;
    for (let d = 0; d < w.vector.length; d++) dot += w.vector[d]! * o.vector[d]!;
    if (dot > best) best = dot;
  }
  return best;
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < v.length; d++) v[d]! /= norm;
  return v;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/**
 * More pair features for the boosted-trees verifier, after the 17 above: a word-mover-style
 * alignment weighted by rarity (each side's words to the other's), the rarest word left
 * unmatched, where the questions start to differ and how much of their word order they share,
 * and the question words (as a symmetric pair of codes) and whether the first content words
 * (roughly the main verb or subject) agree. Every feature is symmetric in the two questions.
 */
export const EXTRA_FEATURE_NAMES = [
  'mover_min',
  'mover_max',
  'rarest_unaligned',
  'rarest_unshared',
  'unshared_min_side',
  'unshared_max_side',
  'first_word_same',
  'first_two_same',
  'last_word_same',
  'first_diff_position',
  'prefix_suffix_share',
  'lcs_ratio',
  'length_diff',
  'content_min',
  'content_max',
  'question_word_lo',
  'question_word_hi',
  'first_content_same',
] as const;

/** All features of the boosted-trees verifier: FEATURE_NAMES then EXTRA_FEATURE_NAMES. */
export const EXTENDED_FEATURE_NAMES: readonly string[] = [...FEATURE_NAMES, ...EXTRA_FEATURE_NAMES];

const QUESTION_WORD_CODES = [...QUESTION_WORDS];

/** `pairFeatures` followed by the EXTRA_FEATURE_NAMES features. */
export function extendedPairFeatures(a: string, b: string, pa: TextProfile, pb: TextProfile, cosine: number, guards: GuardFlags = guardFlags(a, b)): number[] {
  const base = pairFeatures(a, b, pa, pb, cosine, guards);
  const mover: number[] = [];
  const unsharedSide: number[] = [];
  let rarestUnaligned = 0;
  let rarestUnshared = 0;
  for (const [x, y] of [[pa, pb], [pb, pa]] as const) {
    let weighted = 0;
    let weight = 0;
    let unshared = 0;
    for (const w of x.content) {
      const wt = 0.1 + w.rarity;
      weight += wt;
      if (y.stems.has(w.stem)) {
        weighted += wt;
        continue;
      }
      unshared++;
      rarestUnshared = Math.max(rarestUnshared, w.rarity);
      const best = alignmentIn(w, y);
      weighted += wt * best;
      if (best < ALIGNED) rarestUnaligned = Math.max(rarestUnaligned, w.rarity);
    }
    mover.push(weight === 0 ? 1 : weighted / weight);
    unsharedSide.push(unshared);
  }
  const wa = pa.words;
  const wb = pb.words;
  const maxLen = Math.max(wa.length, wb.length, 1);
  let prefix = 0;
  while (prefix < wa.length && prefix < wb.length && wa[prefix] === wb[prefix]) prefix++;
  let suffix = 0;
  while (suffix < wa.length - prefix && suffix < wb.length - prefix && wa[wa.length - 1 - suffix] === wb[wb.length - 1 - suffix]) suffix++;
  const firstContent = (p: TextProfile): string => p.content[0]?.stem ?? '';
  return [
    ...base,
    Math.min(...mover),
    Math.max(...mover),
    rarestUnaligned,
    rarestUnshared,
    Math.log1p(Math.min(...unsharedSide)),
    Math.log1p(Math.max(...unsharedSide)),
    wa[0] !== undefined && wa[0] === wb[0] ? 1 : 0,
    wa.length > 1 && wa[0] === wb[0] && wa[1] === wb[1] ? 1 : 0,
    wa.length > 0 && wa[wa.length - 1] === wb[wb.length - 1] ? 1 : 0,
    prefix / maxLen,
    (prefix + suffix) / maxLen,
    lcs(wa, wb) / maxLen,
    Math.log1p(Math.abs(wa.length - wb.length)),
    Math.min(pa.content.length, pb.content.length),
    Math.max(pa.content.length, pb.content.length),
    Math.min(QUESTION_WORD_CODES.indexOf(pa.questionWord), QUESTION_WORD_CODES.indexOf(pb.questionWord)),
    Math.max(QUESTION_WORD_CODES.indexOf(pa.questionWord), QUESTION_WORD_CODES.indexOf(pb.questionWord)),
    firstContent(pa) !== '' && firstContent(pa) === firstContent(pb) ? 1 : 0,
  ];
}

function lcs(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, 60);
  const m = Math.min(b.length, 60);
  let prev = new Uint8Array(m + 1);
  let cur = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
    cur.fill(0);
  }
  return prev[m]!;
}
