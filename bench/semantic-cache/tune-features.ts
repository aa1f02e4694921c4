/**
 * Candidate feature sets for tune.ts. A set is fitted on training rows (labelled calibration rows;
 * unlabelled sets ignore them) and applied to any row; tune.ts gives training rows out-of-fold values.
 */
import { fitUnsharedWordOdds } from '../../src/gateway/cache/unshared-word-odds.ts';
import { differenceBag, fitDifferenceBag } from '../../src/gateway/cache/difference-bag.ts';
import { fitSparseLogistic } from '../../src/gateway/cache/sparse-logistic.ts';
import { labelledWordFeatures } from '../../src/gateway/cache/lexical-verifier.ts';
import { fitLogistic, logisticScore, type LogisticModel } from '../../src/gateway/cache/logistic-model.ts';
import type { TextProfile } from '../../src/gateway/cache/verifier-features.ts';
import { MIN_COSINE, type PairData } from './pair-data.ts';
import { readUseLiteCosines, readUseLiteVectors } from './use-lite-cosines.ts';

export interface LearnedSet<M = unknown> {
  name: string;
  fit(d: PairData, idx: readonly number[]): M;
  apply(d: PairData, model: M, i: number): number[];
}

const words: LearnedSet<ReturnType<typeof fitWords>> = {
  name: 'words',
  fit: (d, idx) => fitWords(d, idx),
  apply: (d, m, i) => labelledWordFeatures(m, d.profiles[i]![0].words, d.profiles[i]![1].words),
};

function fitWords(d: PairData, idx: readonly number[]) {
  return {
    unsharedOdds: fitUnsharedWordOdds(idx.map((i) => d.pairs[i]!), 8, 10),
    differenceBag: fitDifferenceBag(idx.map((i) => ({ a: d.profiles[i]![0].words, b: d.profiles[i]![1].words, duplicate: d.pairs[i]!.duplicate })), { l2: 0.01, epochs: 8, minCount: 3 }),
  };
}

// ---- unlabelled: character-level edit similarity (fuzzywuzzy-style ratios)
const fuzzyMemo = new Map<number, number[]>();
const fuzzy: LearnedSet<null> = {
  name: 'fuzzy',
  fit: () => null,
  apply: (d, _m, i) => {
    let v = fuzzyMemo.get(i);
    if (!v) fuzzyMemo.set(i, (v = fuzzyFeatures(d.profiles[i]![0], d.profiles[i]![1])));
    return v;
  },
};

export function fuzzyFeatures(pa: TextProfile, pb: TextProfile): number[] {
  const sa = pa.normalised, sb = pb.normalised;
  const sortedA = [...pa.words].sort(), sortedB = [...pb.words].sort();
  const setB = new Set(pb.words), setA = new Set(pa.words);
  const inter = [...new Set(pa.words.filter((w) => setB.has(w)))].sort().join(' ');
  const restA = [...new Set(pa.words.filter((w) => !setB.has(w)))].sort().join(' ');
  const restB = [...new Set(pb.words.filter((w) => !setA.has(w)))].sort().join(' ');
  const setRatio = Math.max(ratio(inter, `${inter} ${restA}`.trim()), ratio(inter, `${inter} ${restB}`.trim()), ratio(`${inter} ${restA}`.trim(), `${inter} ${restB}`.trim()));
  return [
    ratio(sa, sb),
    ratio(sortedA.join(' '), sortedB.join(' ')),
    setRatio,
    ratio(restA, restB),
    longestCommonSubstring(sa, sb) / Math.max(1, Math.min(sa.length, sb.length)),
    Math.log((sa.length + 1) / (sb.length + 1)) ** 2,
  ];
}

function ratio(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  return 1 - levenshtein(a, b) / Math.max(a.length, b.length);
}

function levenshtein(a: string, b: string): number {
  const n = Math.min(a.length, 200), m = Math.min(b.length, 200);
  let prev = new Uint16Array(m + 1), cur = new Uint16Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

function longestCommonSubstring(a: string, b: string): number {
  const n = Math.min(a.length, 200), m = Math.min(b.length, 200);
  let prev = new Uint16Array(m + 1), cur = new Uint16Array(m + 1);
  let best = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      cur[j] = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? prev[j - 1]! + 1 : 0;
      if (cur[j]! > best) best = cur[j]!;
    }
    [prev, cur] = [cur, prev];
  }
  return best;
}

// ---- learned: logistic over the sentence vectors' |a−b| and a∘b (a learnt re-weighting of the dimensions)
const vecRowMemo = new Map<number, number[]>();
function vecRow(d: PairData, i: number): number[] {
  let r = vecRowMemo.get(i);
  if (!r) {
    const a = d.va[i]!, b = d.vb[i]!;
    r = [];
    for (let k = 0; k < a.length; k++) r.push(Math.abs(a[k]! - b[k]!));
    for (let k = 0; k < a.length; k++) r.push(a[k]! * b[k]!);
    vecRowMemo.set(i, r);
  }
  return r;
}
const logisticSet = (name: string, rowOf: (d: PairData, i: number) => number[], l2 = 1e-2): LearnedSet<LogisticModel> => ({
  name,
  fit: (d, idx) => {
    const rows = idx.filter((i) => d.cosine[i]! >= MIN_COSINE);
    const x = rows.map((i) => rowOf(d, i));
    return fitLogistic(x[0]!.map((_, j) => `v${j}`), x, rows.map((i) => d.pairs[i]!.duplicate), { l2, iterations: 400 });
  },
  apply: (d, m, i) => {
    const p = logisticScore(m, rowOf(d, i));
    return [Math.log(p / (1 - p))];
  },
});
const vecpair = logisticSet('vecpair', vecRow);

// ---- the unshared words' vectors: what kind of word differs, beyond the words a table has seen
const unsharedMemo = new Map<number, { sa: Float32Array; sb: Float32Array }>();
function unsharedSums(d: PairData, i: number): { sa: Float32Array; sb: Float32Array } {
  let u = unsharedMemo.get(i);
  if (!u) {
    const [pa, pb] = d.profiles[i]!;
    const sum = (x: TextProfile, y: TextProfile): Float32Array => {
      const s = new Float32Array(100);
      for (const w of x.content) if (!y.stems.has(w.stem) && w.vector) for (let k = 0; k < 100; k++) s[k]! += w.vector[k]!;
      return s;
    };
    unsharedMemo.set(i, (u = { sa: sum(pa, pb), sb: sum(pb, pa) }));
  }
  return u;
}
const unsharedvec = logisticSet('unsharedvec', (d, i) => {
  const { sa, sb } = unsharedSums(d, i);
  const r: number[] = [];
  for (let k = 0; k < 100; k++) r.push(sa[k]! + sb[k]!);
  for (let k = 0; k < 100; k++) r.push(Math.abs(sa[k]! - sb[k]!));
  return r;
});
// Unlabelled: how alike the two sides' unshared parts are, and how much of them there is.
const unsharedcos: LearnedSet<null> = {
  name: 'unsharedcos',
  fit: () => null,
  apply: (d, _m, i) => {
    const { sa, sb } = unsharedSums(d, i);
    let dot = 0, na = 0, nb = 0;
    for (let k = 0; k < 100; k++) { dot += sa[k]! * sb[k]!; na += sa[k]! ** 2; nb += sb[k]! ** 2; }
    return [na === 0 || nb === 0 ? (na === nb ? 1 : 0) : dot / Math.sqrt(na * nb), Math.sqrt(na) + Math.sqrt(nb), Math.abs(Math.sqrt(na) - Math.sqrt(nb))];
  },
};

// ---- learned: a sparse model over the difference bag plus word substitutions (unshared word → its best-aligned unshared word)
function substitutions(pa: TextProfile, pb: TextProfile): string[] {
  const out: string[] = [];
  const ua = pa.content.filter((w) => !pb.stems.has(w.stem));
  const ub = pb.content.filter((w) => !pa.stems.has(w.stem));
  for (const [x, y] of [[ua, ub], [ub, ua]] as const) {
    for (const w of x) {
      let best = 0.3, bw = '';
      for (const o of y) {
        if (!w.vector || !o.vector) continue;
        let dot = 0;
        for (let k = 0; k < 100; k++) dot += w.vector[k]! * o.vector[k]!;
        if (dot > best) { best = dot; bw = o.stem; }
      }
      if (bw) out.push(`s:${[w.stem, bw].sort().join('|')}`);
    }
  }
  return [...new Set(out)];
}
const bagMemo = new Map<number, string[]>();
function substBag(d: PairData, i: number): string[] {
  let b = bagMemo.get(i);
  if (!b) {
    const [pa, pb] = d.profiles[i]!;
    bagMemo.set(i, (b = [...differenceBag(pa.words, pb.words), ...substitutions(pa, pb)]));
  }
  return b;
}
const subst: LearnedSet<{ bias: number; w: Map<string, number> }> = {
  name: 'subst',
  fit: (d, idx) => fitSparse(idx.map((i) => substBag(d, i)), idx.map((i) => d.pairs[i]!.duplicate)),
  apply: (d, m, i) => [substBag(d, i).reduce((z, f) => z + (m.w.get(f) ?? 0), m.bias)],
};

/** The difference bag's fit (AdaGrad, L2) over any indicator lists; weights under 0.05 dropped, 2 decimals kept. */
export function fitSparse(bags: string[][], labels: boolean[], l2 = 0.01, epochs = 8, minCount = 3, rate = 0.1): { bias: number; w: Map<string, number> } {
  const fit = fitSparseLogistic(bags, labels, { l2, epochs, minCount, learningRate: rate });
  const out = new Map<string, number>();
  for (const [f, weight] of fit.weights) if (Math.abs(weight) >= 0.05) out.set(f, Math.round(weight * 100) / 100);
  return { bias: fit.bias, w: out };
}

// Each set's model type is its own; tune.ts only passes a set's model back to the same set.
// ---- unlabelled: the pair's cosine under USE-lite, a stronger (and ~100x slower) sentence encoder
// than the SIF one (use-lite-cosines.ts computes them once; not a plumb dependency).
let useLite: number[] | undefined;
const usecos: LearnedSet<null> = {
  name: 'usecos',
  fit: () => null,
  apply: (_d, _m, i) => [(useLite ??= readUseLiteCosines())[i]!],
};

// ---- learned: the vecpair logistic over USE-lite's 512-d vectors instead of the SIF ones
let useVectors: Array<[Float32Array, Float32Array]> | undefined;
const useRowMemo = new Map<number, number[]>();
function useVecRow(_d: PairData, i: number): number[] {
  let r = useRowMemo.get(i);
  if (!r) {
    const [a, b] = (useVectors ??= readUseLiteVectors())[i]!;
    r = [];
    for (let k = 0; k < a.length; k++) r.push(Math.abs(a[k]! - b[k]!));
    for (let k = 0; k < a.length; k++) r.push(a[k]! * b[k]!);
    useRowMemo.set(i, r);
  }
  return r;
}
const usevecpair = logisticSet('usevecpair', useVecRow);
const usevecpairStrong = logisticSet('usevecpair-l2.1', useVecRow, 0.1);

export const CANDIDATE_SETS: Record<string, LearnedSet> = { words, fuzzy, vecpair, unsharedvec, unsharedcos, subst, usecos, usevecpair, 'usevecpair-l2.1': usevecpairStrong } as Record<string, LearnedSet>;
