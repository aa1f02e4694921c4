/**
 * What a word left unshared says about a question pair, learnt from labelled pairs: "you" for "I",
 * "some" or "really" on one side only rarely change what Quora calls the same question; "not",
 * "without", "first" or a second country often do. IDF cannot tell these apart (all are common),
 * labels can. The table holds smoothed log-odds, against the base rate, of a pair being a duplicate
 * given that the word is on one side only; fitted on the calibration half by bench/semantic-cache
 * and committed with the verifier (words seen unshared in too few pairs are left out: they read 0).
 */
import { wordTokens } from '../../providers/offline/sif-embedder-tokens.ts';

export interface UnsharedWordOddsTable {
  kind: 'unshared-word-odds';
  /** Word → log-odds shift, rounded to 2 decimals (most words share a value, so it compresses). */
  odds: Record<string, number>;
}

/** Words that one of the two texts has and the other lacks (lower-cased tokens, each once). */
export function unsharedWords(a: readonly string[], b: readonly string[]): string[] {
  const sa = new Set(a);
  const sb = new Set(b);
  const out: string[] = [];
  for (const w of sa) if (!sb.has(w)) out.push(w);
  for (const w of sb) if (!sa.has(w)) out.push(w);
  return out;
}

/** Fits the table from labelled pairs; `minPairs` is how often a word must be unshared to get a value. */
export function fitUnsharedWordOdds(pairs: ReadonlyArray<{ a: string; b: string; duplicate: boolean }>, minPairs = 8, smoothing = 10): UnsharedWordOddsTable {
  const dup = new Map<string, number>();
  const other = new Map<string, number>();
  let duplicates = 0;
  for (const p of pairs) {
    if (p.duplicate) duplicates++;
    for (const w of unsharedWords(wordTokens(p.a), wordTokens(p.b))) {
      const m = p.duplicate ? dup : other;
      m.set(w, (m.get(w) ?? 0) + 1);
    }
  }
  const prior = (duplicates + 1) / (pairs.length + 2);
  const odds: Record<string, number> = {};
  for (const w of [...new Set([...dup.keys(), ...other.keys()])].sort()) {
    const d = dup.get(w) ?? 0;
    const n = other.get(w) ?? 0;
    if (d + n < minPairs) continue;
    // Shrunk toward the prior by `smoothing` pseudo-pairs, so a word seen 8 times moves the odds little.
    const p = (d + smoothing * prior) / (d + n + smoothing);
    const shift = Math.round(100 * (Math.log(p / (1 - p)) - Math.log(prior / (1 - prior)))) / 100;
    if (shift !== 0) odds[w] = shift;
  }
  return { kind: 'unshared-word-odds', odds };
}

/** Features of a pair's unshared words under the table: the lowest, the highest and the sum of their shifts. */
export function unsharedOddsFeatures(table: UnsharedWordOddsTable, a: readonly string[], b: readonly string[]): [number, number, number] {
  let min = 0, max = 0, sum = 0;
  for (const w of unsharedWords(a, b)) {
    // Own keys only: a word like "constructor" must not read Object.prototype.
    const v = Object.hasOwn(table.odds, w) ? table.odds[w]! : 0;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return [min, max, sum];
}
