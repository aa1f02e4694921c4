/**
 * Model selection for the semantic-cache verifier inside the calibration half only: every variant
 * is scored out-of-fold (5 folds over the even lines, the same folds run.ts uses) and compared by
 * its hits on duplicates at 1%, 1.5% and 2% false hits there. The held-out half's labels are never
 * read here: run.ts reports the held-out result of the variant chosen with this script, once.
 *
 *   npx tsx bench/semantic-cache/tune.ts [--pairs FILE] [--only NAME,NAME] [--nested [--targets 0.015,0.02]]
 *
 * --nested checks run.ts's whole pipeline instead (threshold read off out-of-fold scores, then a
 * refitted model), with an outer fold loop inside the calibration half. All 20 variants take ~20
 * minutes on 2 cores; TUNING.md records what they gave.
 */
import { firstGuardFired } from '../../src/gateway/cache/guards.ts';
import { fitBoostedTrees, boostedTreesScore, type BoostOptions, type BoostedTreesModel } from '../../src/gateway/cache/boosted-trees.ts';
import { fitLogistic, logisticScore, type LogisticModel } from '../../src/gateway/cache/logistic-model.ts';
import { loadPairData, MIN_COSINE } from './pair-data.ts';
import { CANDIDATE_SETS, type LearnedSet } from './tune-features.ts';

const argv = process.argv.slice(2);
const pairsFile = argv.includes('--pairs') ? argv[argv.indexOf('--pairs') + 1]! : '/work/shared/datasets/qqp/pairs.dev.jsonl';
const only = argv.includes('--only') ? new Set(argv[argv.indexOf('--only') + 1]!.split(',')) : null;
const FOLDS = 5;

const d = await loadPairData(pairsFile);
// --all: every pair of the file instead of the calibration half (for --nested: a nested 5-fold
// cross-validation over the whole file, each outer fold scored by a model that never saw it).
const cal = argv.includes('--all') ? d.pairs.map((_, i) => i) : d.calibration;

export interface Variant {
  name: string;
  /** Learned feature sets (fitted on labelled training rows), by name in CANDIDATE_SETS. */
  sets: string[];
  boost: BoostOptions;
  /** Weight of the trees' probability against the logistic model's (1: trees only). */
  treeWeight: number;
}

const SHIPPED_BOOST: BoostOptions = { trees: 150, depth: 3, learningRate: 0.05, minHessian: 30, lambda: 10, subsample: 0.7 };
const b = (o: BoostOptions): BoostOptions => ({ ...SHIPPED_BOOST, ...o });
const D5 = b({ trees: 400, depth: 5, learningRate: 0.03, colsample: 0.5, minHessian: 15 });
// Every variant tried, in the order tried (RESULTS.md says how many): boosting first, then features.
const VARIANTS: Variant[] = [
  { name: 'shipped', sets: ['words'], boost: SHIPPED_BOOST, treeWeight: 0.5 },
  { name: 'trees-only', sets: ['words'], boost: SHIPPED_BOOST, treeWeight: 1 },
  { name: 't300', sets: ['words'], boost: b({ trees: 300 }), treeWeight: 0.5 },
  { name: 't300-d4', sets: ['words'], boost: b({ trees: 300, depth: 4 }), treeWeight: 0.5 },
  { name: 't300-d4-tw.7', sets: ['words'], boost: b({ trees: 300, depth: 4 }), treeWeight: 0.7 },
  { name: 't600-d4-lr.025-col.5', sets: ['words'], boost: b({ trees: 600, depth: 4, learningRate: 0.025, colsample: 0.5 }), treeWeight: 0.5 },
  { name: 't400-d5-lr.03-col.5', sets: ['words'], boost: b({ trees: 400, depth: 5, learningRate: 0.03, colsample: 0.5, minHessian: 15 }), treeWeight: 0.5 },
  { name: 't400-d5-lr.03-col.5-tw.7', sets: ['words'], boost: b({ trees: 400, depth: 5, learningRate: 0.03, colsample: 0.5, minHessian: 15 }), treeWeight: 0.7 },
  // features, with the d5 boosting above
  { name: 'd5+fuzzy', sets: ['words', 'fuzzy'], boost: D5, treeWeight: 0.5 },
  { name: 'd5+vecpair', sets: ['words', 'vecpair'], boost: D5, treeWeight: 0.5 },
  { name: 'd5+unsharedvec', sets: ['words', 'unsharedvec', 'unsharedcos'], boost: D5, treeWeight: 0.5 },
  { name: 'd5+subst', sets: ['words', 'subst'], boost: D5, treeWeight: 0.5 },
  { name: 'd6-t600', sets: ['words'], boost: b({ trees: 600, depth: 6, learningRate: 0.03, colsample: 0.5, minHessian: 15 }), treeWeight: 0.5 },
  { name: 'd5-t800-lr.015', sets: ['words'], boost: b({ ...D5, trees: 800, learningRate: 0.015 }), treeWeight: 0.5 },
  { name: 'd5-col.3', sets: ['words'], boost: b({ ...D5, colsample: 0.3 }), treeWeight: 0.5 },
  { name: 'd5-sub.5-mh5', sets: ['words'], boost: b({ ...D5, subsample: 0.5, minHessian: 5 }), treeWeight: 0.5 },
  { name: 'd5-t600-lr.05', sets: ['words'], boost: b({ ...D5, trees: 600, learningRate: 0.05 }), treeWeight: 0.5 },
  { name: 'd5+all', sets: ['words', 'fuzzy', 'vecpair', 'unsharedvec', 'unsharedcos', 'subst'], boost: D5, treeWeight: 0.5 },
  // a stronger encoder's cosine as one more feature (needs use-lite-cosines.ts run first)
  { name: 'd5+use', sets: ['words', 'usecos'], boost: D5, treeWeight: 0.5 },
  { name: 'shipped+use', sets: ['words', 'usecos'], boost: SHIPPED_BOOST, treeWeight: 0.5 },
  // USE-lite's vectors through a learnt re-weighting (|a−b|, a∘b), beside its cosine
  { name: 'shipped+use+usevecpair', sets: ['words', 'usecos', 'usevecpair'], boost: SHIPPED_BOOST, treeWeight: 0.5 },
  { name: 'shipped+use+usevecpair-l2.1', sets: ['words', 'usecos', 'usevecpair-l2.1'], boost: SHIPPED_BOOST, treeWeight: 0.5 },
];

// Learned sets' out-of-fold rows are deterministic per training set: memoised across variants.
const memo = new Map<string, { inner: Map<number, number[]>; full: (i: number) => number[] }>();
function learned(set: LearnedSet, train: readonly number[], key: string): { inner: Map<number, number[]>; full: (i: number) => number[] } {
  const k = `${set.name}/${key}`;
  let m = memo.get(k);
  if (!m) {
    const inner = new Map<number, number[]>();
    for (let f = 0; f < FOLDS; f++) {
      const model = set.fit(d, train.filter((_, j) => j % FOLDS !== f));
      for (const i of train.filter((_, j) => j % FOLDS === f)) inner.set(i, set.apply(d, model, i));
    }
    const model = set.fit(d, train);
    m = { inner, full: (i) => set.apply(d, model, i) };
    memo.set(k, m);
  }
  return m;
}

// A variant fitted on `train` (its learned sets' rows out-of-fold inside `train`), as a scorer.
function fitVariant(v: Variant, train: readonly number[], key: string): (i: number) => number {
  const sets = v.sets.map((name) => learned(CANDIDATE_SETS[name]!, train, key));
  const row = (i: number, inTrain: boolean): number[] => [...d.extended[i]!, ...d.lexical[i]!, ...sets.flatMap((s) => (inTrain ? s.inner.get(i)! : s.full(i)))];
  const rows = train.filter((i) => d.cosine[i]! >= MIN_COSINE);
  const x = rows.map((i) => row(i, true));
  const y = rows.map((i) => d.pairs[i]!.duplicate);
  const names = x[0]!.map((_, j) => `f${j}`);
  const trees: BoostedTreesModel | null = v.treeWeight > 0 ? fitBoostedTrees(names, x, y, v.boost) : null;
  const logistic: LogisticModel | null = v.treeWeight < 1 ? fitLogistic(names, x, y, { l2: 1e-3, iterations: 1500 }) : null;
  return (i) => {
    if (d.cosine[i]! < MIN_COSINE) return -1;
    const r = row(i, false);
    return (trees ? v.treeWeight * boostedTreesScore(trees, r) : 0) + (logistic ? (1 - v.treeWeight) * logisticScore(logistic, r) : 0);
  };
}

// Out-of-fold scores over `idx` (folds by position, as run.ts makes them), and each fold's model.
function outOfFold(v: Variant, idx: readonly number[], key: string): { score: Map<number, number>; models: Array<(i: number) => number> } {
  const score = new Map<number, number>();
  const models: Array<(i: number) => number> = [];
  for (let f = 0; f < FOLDS; f++) {
    const model = fitVariant(v, idx.filter((_, j) => j % FOLDS !== f), `${key}/f${f}`);
    models.push(model);
    for (const i of idx.filter((_, j) => j % FOLDS === f)) score.set(i, model(i));
  }
  return { score, models };
}

function scoresOf(v: Variant): number[] {
  const score = new Array<number>(d.pairs.length).fill(-1);
  for (const [i, s] of outOfFold(v, cal, 'cal').score) score[i] = s;
  return score;
}

const vetoed = (i: number): boolean => firstGuardFired(d.guards[i]!) !== null;
const vetoedBy = (guards: GuardVeto, i: number): boolean => (guards === 'numbers+negation' ? d.guards[i]!.numbers || d.guards[i]!.negation : guards && vetoed(i));

/**
 * The whole pipeline of run.ts, judged inside the calibration half: for each outer fold, the other
 * four fit the verifier, their own out-of-fold scores choose the threshold at `target` false hits,
 * and the outer fold is scored by the model refitted on all four (as run.ts ships) or by the mean
 * of the four-fold models (bagged, whose scores are distributed like the ones the threshold was read
 * off). Returns, per target, the false hits and hits that threshold really gives on the outer folds, pooled.
 */
type NestedRates = Record<'refit' | 'bagged', { hits: number; falseHits: number }> & {
  /** The same pooled over even lines (the calibration half) and odd lines (the held-out half) apart. */
  byHalf: Array<Record<'refit' | 'bagged', { hits: number; falseHits: number }>>;
};
type GuardVeto = boolean | 'numbers+negation';
function nested(v: Variant, targets: readonly number[], guards: GuardVeto): NestedRates[] {
  const counts = () => ({ refit: { hit: 0, fh: 0 }, bagged: { hit: 0, fh: 0 } });
  const out = targets.map(counts);
  const halves = targets.map(() => [counts(), counts()]);
  let dups = 0, negs = 0;
  const halfDups = [0, 0], halfNegs = [0, 0];
  for (let k = 0; k < FOLDS; k++) {
    const train = cal.filter((_, j) => j % FOLDS !== k);
    const test = cal.filter((_, j) => j % FOLDS === k);
    const inner = outOfFold(v, train, `cal/f${k}`);
    const s = (i: number): number => (vetoedBy(guards, i) ? -1 : inner.score.get(i)!);
    const negatives = train.filter((i) => !d.pairs[i]!.duplicate).map(s).sort((a, b) => b - a);
    const thresholds = targets.map((target) => (negatives[Math.floor(negatives.length * target)] ?? -1) + 1e-9);
    const refit = fitVariant(v, train, `cal/f${k}`);
    for (const i of test) {
      const dup = d.pairs[i]!.duplicate;
      if (dup) {
        dups++;
        halfDups[i % 2]!++;
      } else {
        negs++;
        halfNegs[i % 2]!++;
      }
      if (vetoedBy(guards, i)) continue;
      const scores = { refit: refit(i), bagged: inner.models.reduce((t, m) => t + m(i), 0) / FOLDS };
      thresholds.forEach((threshold, t) => {
        for (const kind of ['refit', 'bagged'] as const) {
          if (scores[kind] < threshold) continue;
          out[t]![kind][dup ? 'hit' : 'fh']++;
          halves[t]![i % 2]![kind][dup ? 'hit' : 'fh']++;
        }
      });
    }
  }
  const rates = (o: ReturnType<typeof counts>, nd: number, nn: number) => ({ refit: { hits: o.refit.hit / nd, falseHits: o.refit.fh / nn }, bagged: { hits: o.bagged.hit / nd, falseHits: o.bagged.fh / nn } });
  return out.map((o, t) => ({ ...rates(o, dups, negs), byHalf: [0, 1].map((h) => rates(halves[t]![h]!, Math.max(1, halfDups[h]!), Math.max(1, halfNegs[h]!))) }));
}

function hitsAt(score: number[], target: number, guards: boolean | 'numbers+negation'): number {
  const g = (i: number): boolean => (guards === 'numbers+negation' ? d.guards[i]!.numbers || d.guards[i]!.negation : guards && vetoed(i));
  const s = (i: number): number => (g(i) ? -1 : score[i]!);
  const negatives = cal.filter((i) => !d.pairs[i]!.duplicate).map(s).sort((a, b) => b - a);
  const threshold = (negatives[Math.floor(negatives.length * target)] ?? -1) + 1e-9;
  const dups = cal.filter((i) => d.pairs[i]!.duplicate);
  return dups.filter((i) => s(i) >= threshold).length / dups.length;
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);
if (argv.includes('--nested')) {
  // --targets 0.015,0.0175: the false-hit rates on inner out-of-fold scores the threshold is read at.
  const targets = argv.includes('--targets') ? argv[argv.indexOf('--targets') + 1]!.split(',').map(Number) : [0.015];
  console.log('variant | guards | target | refit: hits / false hits | bagged: hits / false hits (threshold read at the target false hits on inner out-of-fold scores)');
  for (const v of VARIANTS) {
    if (only && !only.has(v.name)) continue;
    // --guards off|on|numbers+negation: only that veto setting (default: off and on).
    const modes: GuardVeto[] = argv.includes('--guards') ? [({ off: false, on: true } as Record<string, GuardVeto>)[argv[argv.indexOf('--guards') + 1]!] ?? 'numbers+negation'] : [false, true];
    for (const guards of modes) {
      nested(v, targets, guards).forEach((r, t) => {
        console.log(`${v.name} | ${guards === true ? 'on' : guards === false ? 'off' : guards} | ${pct(targets[t]!)} | ${pct(r.refit.hits)} / ${pct(r.refit.falseHits)} | ${pct(r.bagged.hits)} / ${pct(r.bagged.falseHits)}`);
        if (argv.includes('--all')) {
          r.byHalf.forEach((h, half) => console.log(`  ${half === 0 ? 'even lines (calibration half)' : 'odd lines (held-out half)'} | ${pct(h.refit.hits)} / ${pct(h.refit.falseHits)} | ${pct(h.bagged.hits)} / ${pct(h.bagged.falseHits)}`));
        }
      });
    }
  }
  await d.embedder.embed([]);
  process.exit(0);
}
if (argv.includes('--dump')) {
  // --dump N: the calibration non-duplicates the first --only variant accepts at 2% false hits with
  // all guards vetoing (its out-of-fold scores), highest first: material for new guards.
  const v = VARIANTS.find((x) => !only || only.has(x.name))!;
  const score = scoresOf(v);
  const s = (i: number): number => (vetoed(i) ? -1 : score[i]!);
  const negatives = cal.filter((i) => !d.pairs[i]!.duplicate).sort((a, b) => s(b) - s(a));
  const n = Number(argv[argv.indexOf('--dump') + 1]);
  const cut = Math.floor(negatives.length * 0.02);
  for (const i of negatives.slice(0, Math.min(n, cut))) console.log(`${s(i).toFixed(3)}\t${d.pairs[i]!.a}\t${d.pairs[i]!.b}`);
  await d.embedder.embed([]);
  process.exit(0);
}
console.log(`variant | hits@1% 1.5% 2% (mean) | +guards hits@1% 1.5% 2% (mean) | numbers+negation guards (mean) | seconds`);
for (const v of VARIANTS) {
  if (only && !only.has(v.name)) continue;
  const t = performance.now();
  const score = scoresOf(v);
  const plain = [0.01, 0.015, 0.02].map((x) => hitsAt(score, x, false));
  const guarded = [0.01, 0.015, 0.02].map((x) => hitsAt(score, x, true));
  const partial = [0.01, 0.015, 0.02].map((x) => hitsAt(score, x, 'numbers+negation'));
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
  console.log(`${v.name} | ${plain.map(pct).join(' ')} (${pct(mean(plain))}) | ${guarded.map(pct).join(' ')} (${pct(mean(guarded))}) | ${partial.map(pct).join(' ')} (${pct(mean(partial))}) | ${((performance.now() - t) / 1000).toFixed(0)}`);
}
await d.embedder.embed([]);
