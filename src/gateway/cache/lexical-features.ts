/**
 * Pair features that weigh words by how rare they are in questions (a fitted IDF table, see
 * word-idf.ts) and compare spelling below the word: "How do I learn Python?" and "What is the best
 * way to learn Python?" differ in many words but none that carry the question; "iPhone 6" and
 * "iPhone 6s" differ in one character n-gram but a rare one. Every feature is symmetric in the two
 * questions. Appended after EXTENDED_FEATURE_NAMES in the verifier's feature vector.
 */
import { ALIGNED, alignmentIn, type ContentWord, type TextProfile } from './verifier-features.ts';
import type { WordIdf } from './word-idf.ts';

export const LEXICAL_FEATURE_NAMES = [
  'idf_cosine',
  'idf_content_jaccard',
  'idf_unshared_max',
  'idf_unshared_min_side',
  'idf_unshared_max_side',
  'idf_unaligned_max',
  'idf_mover_min',
  'idf_mover_max',
  'idf_shared_sum',
  'idf_bigram_share',
  'char_cosine',
  'char3_jaccard',
  'core_equal',
  'core_idf_jaccard',
  'bag_equal',
  'rare_shared_count',
  'rare_unshared_count',
  'shared_order',
  'pronouns_differ',
] as const;

// Leading words that say how a question is asked, not what it asks ("what is the best way to").
const PREFIX_WORDS = new Set(['what', 'which', 'how', 'why', 'when', 'where', 'who', 'is', 'are', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will', 'i', 'we', 'you', 'one', 'someone', 'a', 'an', 'the', 'some', 'there', 'it', 'my', 'to']);
const PREFIX_PHRASES = [['best', 'way', 'to'], ['best', 'ways', 'to'], ['good', 'way', 'to'], ['easiest', 'way', 'to'], ['way', 'to'], ['ways', 'to']];
const PRONOUNS = new Set(['i', 'me', 'my', 'mine', 'you', 'your', 'yours', 'we', 'us', 'our', 'he', 'him', 'his', 'she', 'her', 'they', 'them', 'their', 'one', 'someone', 'people']);
// Above this share of the largest IDF a word is rare enough to decide a question on its own.
const RARE = 0.6;

/** The lexical features of a pair of profiled questions. */
export function lexicalPairFeatures(pa: TextProfile, pb: TextProfile, idf: WordIdf): number[] {
  const content = contentSides(pa, pb, idf);
  const core = [coreWords(pa.words), coreWords(pb.words)] as const;
  const sa = new Set(pa.words);
  const sb = new Set(pb.words);
  const ca = charGramsOf(pa);
  const cb = charGramsOf(pb);
  return [
    idfCosine(pa.words, pb.words, idf),
    content.shared + content.unsharedTotal === 0 ? 1 : content.shared / (content.shared + content.unsharedTotal),
    content.unsharedMax / idf.max,
    Math.log1p(Math.min(...content.unsharedSide)),
    Math.log1p(Math.max(...content.unsharedSide)),
    content.unalignedMax / idf.max,
    Math.min(...content.mover),
    Math.max(...content.mover),
    Math.log1p(content.shared),
    weightedShare(bigrams(pa.words, idf), bigrams(pb.words, idf)),
    charCosine(ca, cb),
    jaccard(ca.trigrams, cb.trigrams),
    core[0].length > 0 && core[0].join(' ') === core[1].join(' ') ? 1 : 0,
    weightedShare(weights(core[0], idf), weights(core[1], idf)),
    sa.size === sb.size && [...sa].every((w) => sb.has(w)) ? 1 : 0,
    content.rareShared,
    content.rareUnshared,
    sharedOrder(pa.words, pb.words),
    setsDiffer(pa.words.filter((w) => PRONOUNS.has(w)), pb.words.filter((w) => PRONOUNS.has(w))) ? 1 : 0,
  ];
}

// Of the pairs of words both questions have once, the share in the same order: "Messi better than
// Ronaldo" and "Ronaldo better than Messi" share every word but none of that order. 1 under two words.
function sharedOrder(a: readonly string[], b: readonly string[]): number {
  const posB = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const w of b) seen.set(w, (seen.get(w) ?? 0) + 1);
  b.forEach((w, i) => { if (seen.get(w) === 1) posB.set(w, i); });
  const countA = new Map<string, number>();
  for (const w of a) countA.set(w, (countA.get(w) ?? 0) + 1);
  const order = a.filter((w) => countA.get(w) === 1 && posB.has(w)).map((w) => posB.get(w)!);
  let same = 0, pairs = 0;
  for (let i = 0; i < order.length; i++) for (let j = i + 1; j < order.length; j++) {
    pairs++;
    if (order[j]! > order[i]!) same++;
  }
  return pairs === 0 ? 1 : same / pairs;
}

function setsDiffer(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size !== sb.size || [...sa].some((w) => !sb.has(w));
}

interface ContentComparison {
  shared: number;
  unsharedTotal: number;
  unsharedMax: number;
  unsharedSide: number[];
  unalignedMax: number;
  mover: number[];
  rareShared: number;
  rareUnshared: number;
}

// Content words of each side against the other's: shared by stem, else how well a vector aligns.
function contentSides(pa: TextProfile, pb: TextProfile, idf: WordIdf): ContentComparison {
  const out: ContentComparison = { shared: 0, unsharedTotal: 0, unsharedMax: 0, unsharedSide: [], unalignedMax: 0, mover: [], rareShared: 0, rareUnshared: 0 };
  for (const [x, y] of [[pa, pb], [pb, pa]] as const) {
    let side = 0;
    let weighted = 0;
    let weight = 0;
    for (const w of x.content as ContentWord[]) {
      const v = idf.of(w.word);
      const rare = v >= RARE * idf.max;
      weight += v;
      if (y.stems.has(w.stem)) {
        // Counted from one side only, so a shared word weighs once.
        if (x === pa) out.shared += v;
        if (x === pa && rare) out.rareShared++;
        weighted += v;
        continue;
      }
      side += v;
      out.unsharedMax = Math.max(out.unsharedMax, v);
      if (rare) out.rareUnshared++;
      const best = alignmentIn(w, y);
      weighted += v * best;
      if (best < ALIGNED) out.unalignedMax = Math.max(out.unalignedMax, v);
    }
    out.unsharedSide.push(side);
    out.unsharedTotal += side;
    out.mover.push(weight === 0 ? 1 : weighted / weight);
  }
  return out;
}

function coreWords(words: readonly string[]): string[] {
  let i = 0;
  for (;;) {
    if (i < words.length && PREFIX_WORDS.has(words[i]!)) {
      i++;
      continue;
    }
    const phrase = PREFIX_PHRASES.find((p) => p.every((w, k) => words[i + k] === w));
    if (!phrase) break;
    i += phrase.length;
  }
  return words.slice(i);
}

function weights(words: readonly string[], idf: WordIdf): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, idf.of(w));
  return m;
}

function bigrams(words: readonly string[], idf: WordIdf): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 1; i < words.length; i++) m.set(`${words[i - 1]} ${words[i]}`, idf.of(words[i - 1]!) + idf.of(words[i]!));
  return m;
}

// Shared weight over the union's weight (a weighted Jaccard); 1 when both are empty.
function weightedShare(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [k, v] of a) {
    total += v;
    if (b.has(k)) shared += v;
  }
  for (const [k, v] of b) if (!a.has(k)) total += v;
  return total === 0 ? 1 : shared / total;
}

function idfCosine(a: readonly string[], b: readonly string[], idf: WordIdf): number {
  const va = tfIdf(a, idf);
  const vb = tfIdf(b, idf);
  let dot = 0, na = 0, nb = 0;
  for (const [k, v] of va) {
    na += v * v;
    dot += v * (vb.get(k) ?? 0);
  }
  for (const v of vb.values()) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function tfIdf(words: readonly string[], idf: WordIdf): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + idf.of(w));
  return m;
}

interface CharGrams {
  /** Distinct hashed 3- to 5-grams, ascending, and their counts: merged, not hashed, to compare. */
  keys: Int32Array;
  counts: Int32Array;
  norm: number;
  /** Distinct hashed 3-grams, ascending. */
  trigrams: Int32Array;
}

// A profile is often compared with several questions; its grams are computed once.
const charGramCache = new WeakMap<TextProfile, CharGrams>();

// Character 3- to 5-grams of the space-joined words: catches spelling variants and inflections.
// Grams are hashed to small integers and sorted — string slices in a Map cost ~10× more.
function charGramsOf(p: TextProfile): CharGrams {
  const cached = charGramCache.get(p);
  if (cached) return cached;
  const s = ` ${p.normalised} `;
  const all = new Int32Array(Math.max(0, 3 * (s.length - 2)));
  let m = 0;
  for (let i = 0; i + 3 <= s.length; i++) {
    let h = 0;
    for (let n = 1; n <= 5 && i + n <= s.length; n++) {
      h = (Math.imul(h, 1000003) + s.charCodeAt(i + n - 1)) | 0;
      // 27 hash bits and the gram's length in the low 2 bits.
      if (n >= 3) all[m++] = ((h & 0x7ffffff) << 2) | (n - 3);
    }
  }
  const sorted = all.subarray(0, m).sort();
  const keys: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]!++;
    else {
      keys.push(sorted[i]!);
      counts.push(1);
    }
  }
  const grams = {
    keys: Int32Array.from(keys),
    counts: Int32Array.from(counts),
    norm: Math.sqrt(counts.reduce((t, c) => t + c * c, 0)),
    trigrams: Int32Array.from(keys.filter((k) => (k & 3) === 0)),
  };
  charGramCache.set(p, grams);
  return grams;
}

function charCosine(a: CharGrams, b: CharGrams): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  for (let i = 0, j = 0; i < a.keys.length && j < b.keys.length; ) {
    if (a.keys[i]! < b.keys[j]!) i++;
    else if (a.keys[i]! > b.keys[j]!) j++;
    else dot += a.counts[i++]! * b.counts[j++]!;
  }
  return dot / (a.norm * b.norm);
}

function jaccard(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 1 : shared / union;
}
