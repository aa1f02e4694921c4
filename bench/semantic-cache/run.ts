/**
 * Semantic cache on QQP dev pairs: for each pair, store `a` in an empty scope and look up `b`.
 * Hit rate on duplicates against false-hit rate on non-duplicates, across thresholds, for cosine
 * alone, cosine + guards, and the logistic verifier. The file is split by line parity: even lines
 * calibrate (the verifier is fitted and the threshold chosen there), odd lines are held out and
 * are the reported result. Finally the shipped default is replayed through the real SemanticCache.
 *
 *   npx tsx bench/semantic-cache/run.ts [--pairs FILE] [--write-policy]
 *
 * --write-policy rewrites src/gateway/cache/default-policy.ts with the calibrated verifier.
 * Writes bench/semantic-cache/results.json and RESULTS.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstGuardFired, guardFlags, type GuardName } from '../../src/gateway/cache/guards.ts';
import { fitLogistic, logisticScore, type LogisticModel } from '../../src/gateway/cache/logistic-model.ts';
import { createMemoryCacheBackend } from '../../src/gateway/cache/memory-backend.ts';
import { replayPairs, replaySummary, type LabelledPair } from '../../src/gateway/cache/replay-pairs.ts';
import { SemanticCache } from '../../src/gateway/cache/semantic-cache.ts';
import { fitBoostedTrees, treeEnsembleScore, type BoostOptions, type TreeEnsembleVerifier } from '../../src/gateway/cache/boosted-trees.ts';
import { EXTENDED_FEATURE_NAMES, FEATURE_NAMES, textProfile } from '../../src/gateway/cache/verifier-features.ts';
import { ENCODER_VERIFIER_FEATURE_NAMES, labelledWordFeatures, LEXICAL_VERIFIER_FEATURE_NAMES, lexicalVerifierFeatureNames, lexicalVerifierFeatures, lexicalVerifierScore, type LexicalTreeVerifier } from '../../src/gateway/cache/lexical-verifier.ts';
import { fitUnsharedWordOdds } from '../../src/gateway/cache/unshared-word-odds.ts';
import { differenceBagWeights, fitDifferenceBag, type DifferenceBagOptions } from '../../src/gateway/cache/difference-bag.ts';
import { machineInfo, machineLine } from '../machine.ts';
import { dot, loadPairData, MIN_COSINE } from './pair-data.ts';
import { PrecomputedEncoder } from './precomputed-encoder.ts';
import { readUseLiteVectors } from './use-lite-cosines.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const pairsFile = argv.includes('--pairs') ? argv[argv.indexOf('--pairs') + 1]! : '/work/shared/datasets/qqp/pairs.dev.jsonl';
const writePolicy = argv.includes('--write-policy');
// The calibration half's false-hit target; below the 2% goal to leave room for the held-out half's variance.
const CALIBRATION_TARGET = 0.015;
// The shipped default: the USE-lite verifier with all three vetoes, threshold at the standing 1.5%.
// (A target and veto set chosen by nested CV inside the calibration half, numbers + negation vetoes
// at 1.75%, is reported as NESTED_CHOICE: measured held out it gave 25.2% hits at 2.2% false hits,
// over the cap, so the default fell back to the standing protocol — TUNING.md says how that was decided.)
const SHIPPED = 'lexical+use+guards';
const SHIPPED_VETOES = true;
const NESTED_CHOICE = 'lexical+use+numbers+negation';
const NESTED_CHOICE_TARGET = 0.0175;
const targetOf = (method: string): number => (method === NESTED_CHOICE ? NESTED_CHOICE_TARGET : CALIBRATION_TARGET);
const GPTCACHE_THRESHOLD = 0.9;
const POLICY_FILE = path.join(HERE, '../../src/gateway/cache/default-policy.ts');
const TABLES_FILE = path.join(HERE, '../../src/gateway/cache/default-policy-tables.ts');

const { pairs, embedder, lexicon, cosine, guards, profiles, extended, features, lexical, idfTable, calibration, heldOut, featureMs } = await loadPairData(pairsFile);
// Every guard vetoes, as `guards: true` does at run time (numbers, entities, negation, question word).
const anyGuard = (i: number): boolean => firstGuardFired(guards[i]!) !== null;
const numberOrNegationGuard = (i: number): boolean => guards[i]!.numbers || guards[i]!.negation;
// USE-lite's vectors of both questions of every pair (use-lite-cosines.ts computes them once with the
// same model the cache runs, ~20 minutes) and their cosine, the encoder feature.
const useVectors = readUseLiteVectors();
if (useVectors.length !== pairs.length) throw new Error(`the USE-lite vectors are for ${useVectors.length} pairs, not ${pairs.length}: rerun use-lite-cosines.ts on ${pairsFile}`);
const useCosine = useVectors.map(([a, b]) => dot(a, b));

const fitRows = calibration.filter((i) => cosine[i]! >= MIN_COSINE);
const verifier = round(fitLogistic(FEATURE_NAMES, fitRows.map((i) => features[i]!), fitRows.map((i) => pairs[i]!.duplicate), { l2: 1e-3, iterations: 3000 }));

// The non-linear verifier: boosted depth-3 trees averaged with a logistic model, both over the
// extended features. Trees fit their own training rows too well for a threshold read off those
// rows, so the calibration half's scores are out-of-fold (5 folds) and only the held-out half is
// scored by the model fitted on the whole calibration half.
const BOOST: BoostOptions = { trees: 150, depth: 3, learningRate: 0.05, minHessian: 30, lambda: 10, subsample: 0.7 };
const FOLDS = 5;
const fitEnsemble = (idx: number[]): TreeEnsembleVerifier => ({
  kind: 'trees+logistic',
  trees: fitBoostedTrees(EXTENDED_FEATURE_NAMES, idx.map((i) => extended[i]!), idx.map((i) => pairs[i]!.duplicate), BOOST),
  logistic: round(fitLogistic(EXTENDED_FEATURE_NAMES, idx.map((i) => extended[i]!), idx.map((i) => pairs[i]!.duplicate), { l2: 1e-3, iterations: 1500 })),
});
const ensembleScore = new Array<number>(pairs.length).fill(-1);
for (let k = 0; k < FOLDS; k++) {
  const fold = fitEnsemble(fitRows.filter((_, j) => j % FOLDS !== k));
  for (const i of fitRows.filter((_, j) => j % FOLDS === k)) ensembleScore[i] = treeEnsembleScore(fold, extended[i]!);
}
const ensemble = fitEnsemble(fitRows);
for (const i of heldOut) if (cosine[i]! >= MIN_COSINE) ensembleScore[i] = treeEnsembleScore(ensemble, extended[i]!);

// The lexical verifier: the extended and lexical features plus those learnt from labelled words
// (unshared-word odds, the difference bag's logit) — so a row's word features never come from a
// table that saw its own label: rows a model is fitted on get them from inner out-of-fold tables,
// rows it scores from the tables of its training rows. Calibration-half scores are out-of-fold
// (5 folds over that half) as above.
const LEXICAL_BOOST: BoostOptions = { trees: 150, depth: 3, learningRate: 0.05, minHessian: 30, lambda: 10, subsample: 0.7 };
// The boosting tune.ts chose by out-of-fold hits inside the calibration half (see TUNING.md):
// 400 depth-5 trees, each splitting on a random half of the features. Reported, not shipped: on
// the held-out half its calibrated threshold gave 2.1% false hits, over the 2% the cache allows.
// How many variants tune.ts compared before CANDIDATE_BOOST was chosen (TUNING.md lists them).
const TUNED_VARIANTS = 18;
const CANDIDATE_BOOST: BoostOptions = { trees: 400, depth: 5, learningRate: 0.03, minHessian: 15, lambda: 10, subsample: 0.7, colsample: 0.5 };
const ODDS = { minPairs: 8, smoothing: 10 };
const BAG: DifferenceBagOptions = { l2: 0.01, epochs: 8, minCount: 3 };
type WordTables = Pick<LexicalTreeVerifier, 'unsharedOdds' | 'differenceBag'>;
const fitWordTables = (idx: readonly number[]): WordTables => ({
  unsharedOdds: fitUnsharedWordOdds(idx.map((i) => pairs[i]!), ODDS.minPairs, ODDS.smoothing),
  differenceBag: fitDifferenceBag(idx.map((i) => ({ a: profiles[i]![0].words, b: profiles[i]![1].words, duplicate: pairs[i]!.duplicate })), BAG),
});
const wordFeatures = (t: WordTables, i: number): number[] => labelledWordFeatures(t, profiles[i]![0].words, profiles[i]![1].words);
const outOfFoldWordFeatures = (idx: readonly number[]): Map<number, number[]> => {
  const out = new Map<number, number[]>();
  for (let k = 0; k < FOLDS; k++) {
    const tables = fitWordTables(idx.filter((_, j) => j % FOLDS !== k));
    for (const i of idx.filter((_, j) => j % FOLDS === k)) out.set(i, wordFeatures(tables, i));
  }
  return out;
};
// A pair's row: the extended and lexical features, the labelled-word ones, and USE-lite's cosine when the verifier uses it.
const lexicalRow = (i: number, words: readonly number[], encoder: boolean): number[] => [...extended[i]!, ...lexical[i]!, ...words, ...(encoder ? [useCosine[i]!] : [])];
// Fits on the calibration rows `train` (all of them fit the word tables; those with cosine ≥ MIN_COSINE fit the models).
const fitLexical = (train: readonly number[], boost: BoostOptions, encoder: boolean): LexicalTreeVerifier => {
  const words = outOfFoldWordFeatures(train);
  const rows = train.filter((i) => cosine[i]! >= MIN_COSINE);
  const x = rows.map((i) => lexicalRow(i, words.get(i)!, encoder));
  const y = rows.map((i) => pairs[i]!.duplicate);
  const names = encoder ? ENCODER_VERIFIER_FEATURE_NAMES : LEXICAL_VERIFIER_FEATURE_NAMES;
  return {
    kind: 'lexical-trees+logistic',
    ...(encoder ? { encoder: 'use-lite' as const } : {}),
    idf: idfTable,
    ...fitWordTables(train),
    trees: fitBoostedTrees(names, x, y, boost),
    logistic: round(fitLogistic(names, x, y, { l2: 1e-3, iterations: 1500 })),
  };
};
// Out-of-fold scores on the calibration half, the whole-half model's on the held-out half.
const lexicalScores = (boost: BoostOptions, encoder: boolean): { score: number[]; verifier: LexicalTreeVerifier } => {
  const score = new Array<number>(pairs.length).fill(-1);
  for (let k = 0; k < FOLDS; k++) {
    const fold = fitLexical(calibration.filter((_, j) => j % FOLDS !== k), boost, encoder);
    for (const i of calibration.filter((_, j) => j % FOLDS === k)) if (cosine[i]! >= MIN_COSINE) score[i] = lexicalVerifierScore(fold, lexicalRow(i, wordFeatures(fold, i), encoder));
  }
  const v = fitLexical(calibration, boost, encoder);
  for (const i of heldOut) if (cosine[i]! >= MIN_COSINE) score[i] = lexicalVerifierScore(v, lexicalRow(i, wordFeatures(v, i), encoder));
  return { score, verifier: v };
};
const { score: lexicalScore, verifier: lexicalVerifier } = lexicalScores(LEXICAL_BOOST, false);
const candidateScore = lexicalScores(CANDIDATE_BOOST, false).score;
// The default since 2026-11-26: the same verifier with USE-lite's cosine as one more feature
// (tune.ts chose it on the calibration half, TUNING.md; variant 21 of those compared).
const { score: encoderScore, verifier: encoderVerifier } = lexicalScores(LEXICAL_BOOST, true);

// A score per pair per method; -1 = never a hit.
const methods: Record<string, number[]> = {
  cosine: cosine,
  'cosine+guards': cosine.map((c, i) => (anyGuard(i) ? -1 : c)),
  verifier: pairs.map((_, i) => (cosine[i]! < MIN_COSINE ? -1 : logisticScore(verifier, features[i]!))),
  'verifier+guards': pairs.map((_, i) => (cosine[i]! < MIN_COSINE || anyGuard(i) ? -1 : logisticScore(verifier, features[i]!))),
  'trees+logistic': ensembleScore,
  'trees+logistic+guards': ensembleScore.map((s, i) => (anyGuard(i) ? -1 : s)),
  lexical: lexicalScore,
  'lexical+guards': lexicalScore.map((s, i) => (anyGuard(i) ? -1 : s)),
  'lexical-400x5': candidateScore,
  'lexical-400x5+guards': candidateScore.map((s, i) => (anyGuard(i) ? -1 : s)),
  'lexical+use': encoderScore,
  'lexical+use+guards': encoderScore.map((s, i) => (anyGuard(i) ? -1 : s)),
  'lexical+use+numbers+negation': encoderScore.map((s, i) => (numberOrNegationGuard(i) ? -1 : s)),
};

interface Operating { target: number; threshold: number; calibration: Rates; heldOut: Rates }
interface Rates { hit_rate: number; false_hit_rate: number }
const operating: Record<string, Operating> = {};
const sweeps: Record<string, Array<{ threshold: number } & Rates>> = {};
for (const [name, score] of Object.entries(methods)) {
  const threshold = thresholdAt(score, calibration, targetOf(name));
  operating[name] = { target: targetOf(name), threshold, calibration: rates(score, calibration, threshold), heldOut: rates(score, heldOut, threshold) };
  const grid = name.startsWith('cosine') ? [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99] : [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
  sweeps[name] = grid.map((t) => ({ threshold: t, ...rates(score, heldOut, t) }));
}
const gptcache = rates(cosine, heldOut, GPTCACHE_THRESHOLD);
// For comparison only (thresholds read off the held-out half itself): hits at equal false hits, so a
// method is not credited for a threshold that happened to land at a higher false-hit rate.
const atEqualFalseHits = Object.fromEntries(Object.entries(methods).map(([name, score]) => [name, rates(score, heldOut, thresholdAt(score, heldOut, CALIBRATION_TARGET))]));

const previous = operating['lexical+guards']!;
const chosen = operating[SHIPPED]!;
const policy: { minCosine: number; threshold: number; verifier: LexicalTreeVerifier; guards: boolean | readonly GuardName[] } = { minCosine: MIN_COSINE, threshold: round4(chosen.threshold), verifier: encoderVerifier, guards: SHIPPED_VETOES };
// Shipped beside it for deployments that would rather not run USE-lite (config cache.encoder: none).
const lexicalPolicy = { minCosine: MIN_COSINE, threshold: round4(previous.threshold), verifier: lexicalVerifier, guards: true };
if (writePolicy) writeDefaultPolicy(policy, lexicalPolicy);

// The shipped default, replayed through the real cache (store a, look up b) on the held-out half,
// with USE-lite's vectors precomputed (the same model, run once by use-lite-cosines.ts).
const encoder = new PrecomputedEncoder('use-lite-512', new Map(pairs.flatMap((p, i) => [[p.a, useVectors[i]![0]], [p.b, useVectors[i]![1]]] as const)));
const cache = new SemanticCache({ backend: createMemoryCacheBackend(), embedder, encoder, lexicon: async () => lexicon, policy, maxEncoderBacklog: Number.POSITIVE_INFINITY });
const heldOutPairs: LabelledPair[] = heldOut.map((i) => pairs[i]!);
const t1 = performance.now();
const replay = replaySummary(heldOutPairs, await replayPairs(cache, heldOutPairs), policy.threshold);
const replayMs = performance.now() - t1;
// What `plumb bench cache --pairs <file>` prints: the same replay over the whole file (both halves).
const fullFile = replaySummary(pairs, await replayPairs(new SemanticCache({ backend: createMemoryCacheBackend(), embedder, encoder, lexicon: async () => lexicon, policy, maxEncoderBacklog: Number.POSITIVE_INFINITY }), pairs), policy.threshold);

const machine = machineInfo();
const results = {
  dataset: pairsFile,
  pairs: pairs.length,
  split: 'even lines calibrate (fit + threshold), odd lines held out',
  min_cosine: MIN_COSINE,
  calibration_target_false_hit_rate: CALIBRATION_TARGET,
  shipped: { method: SHIPPED, calibration_target_false_hit_rate: CALIBRATION_TARGET, vetoes: SHIPPED_VETOES },
  nested_choice_not_shipped: { method: NESTED_CHOICE, calibration_target_false_hit_rate: NESTED_CHOICE_TARGET, vetoes: ['numbers', 'negation'] },
  operating_points: operating,
  gptcache_threshold_0_90_held_out: gptcache,
  held_out_at_equal_false_hits_not_calibrated: atEqualFalseHits,
  sweeps_held_out: sweeps,
  shipped_policy_replay_full_file: fullFile,
  shipped_policy_replay_held_out: { ...replay, lookups_per_second: Math.round(heldOutPairs.length / (replayMs / 1000)) },
  verifier: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, verifier.weights[j]])),
  shipped_verifier: {
    kind: encoderVerifier.kind,
    encoder: encoderVerifier.encoder,
    features: lexicalVerifierFeatureNames(encoderVerifier),
    boost: LEXICAL_BOOST,
    unshared_odds: { ...ODDS, words: Object.keys(encoderVerifier.unsharedOdds.odds).length },
    difference_bag: { ...BAG, indicators: differenceBagWeights(encoderVerifier.differenceBag).size },
    idf_words: Object.values(idfTable.byFrequency).reduce((n, w) => n + w.split(' ').length, 0),
    folds_for_calibration_scores: FOLDS,
  },
  previous_verifier: { kind: lexicalVerifier.kind, features: LEXICAL_VERIFIER_FEATURE_NAMES, boost: LEXICAL_BOOST },
  older_verifier: { kind: ensemble.kind, features: EXTENDED_FEATURE_NAMES, boost: BOOST },
  candidate_verifier_not_shipped: { kind: lexicalVerifier.kind, features: LEXICAL_VERIFIER_FEATURE_NAMES, boost: CANDIDATE_BOOST },
  verifier_microseconds_per_pair: verifierMicroseconds(),
  default_policy_bytes: policyBytes(),
  feature_ms: Math.round(featureMs),
  machine,
};
fs.writeFileSync(path.join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(HERE, 'RESULTS.md'), markdown());
console.log(JSON.stringify({ operating, gptcache, replay }, null, 2));
await embedder.embed([]);

function markdown(): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  // False-hit rates and targets near the 2% cap need the second decimal.
  const pct2 = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const rows = Object.entries(operating).map(([name, o]) => `| ${name} | ${pct2(o.target)} | ${o.threshold.toFixed(4)} | ${pct(o.calibration.hit_rate)} / ${pct2(o.calibration.false_hit_rate)} | **${pct(o.heldOut.hit_rate)}** / ${pct2(o.heldOut.false_hit_rate)} |`);
  const sweepRows = Object.entries(sweeps).flatMap(([name, s]) => s.map((r) => `| ${name} | ${r.threshold} | ${pct(r.hit_rate)} | ${pct(r.false_hit_rate)} |`));
  return `# Semantic cache on QQP dev pairs

\`npx tsx bench/semantic-cache/run.ts\` · ${pairs.length} pairs from \`${pairsFile}\` · ${machineLine(machine)}

For each pair the first question is stored in an empty scope and the second looked up: a hit on a
duplicate pair is a good hit, on a non-duplicate a false hit. Even lines calibrate (the verifier is
fitted there, on pairs with cosine ≥ ${MIN_COSINE}, and each method's threshold is the one giving
${pct(CALIBRATION_TARGET)} false hits there, ${pct2(NESTED_CHOICE_TARGET)} for ${NESTED_CHOICE}, see below); **odd lines are held out, and are the result**.
Embeddings: the offline SIF embedder (100-d GloVe). Guards: different numbers, named entities,
negation, a changed question word (src/gateway/cache/guards.ts; "+guards" = all four veto). \`verifier\`: logistic regression over ${FEATURE_NAMES.length}
pair features (src/gateway/cache/verifier-features.ts). \`trees+logistic\` (an older default): the mean of
${BOOST.trees} boosted depth-${BOOST.depth} trees (src/gateway/cache/boosted-trees.ts, fitted in-process) and a logistic model, both over
${EXTENDED_FEATURE_NAMES.length} features (the ${FEATURE_NAMES.length} plus a rarity-weighted word-mover alignment, the rarest unmatched word, where the
questions start to differ, shared word order, question-word codes, first-content-word agreement). \`lexical\` (the
previous default, kept as \`cache.encoder: none\`, src/gateway/cache/lexical-verifier.ts): the same kind of ensemble (${LEXICAL_BOOST.trees} depth-${LEXICAL_BOOST.depth} trees + logistic) over
${LEXICAL_VERIFIER_FEATURE_NAMES.length} features: those ${EXTENDED_FEATURE_NAMES.length}, ${lexical[0]!.length} lexical ones (src/gateway/cache/lexical-features.ts: IDF-weighted word
cosine, overlap, bigram overlap and word-mover alignment with a question IDF fitted on the calibration half's texts,
character 3–5-gram cosine, the core question after "what is the best way to"-style prefixes, same bag of words, shared
word order, pronoun change) and 4 learnt from calibration labels: what an unshared word says (min, max and sum of
smoothed log-odds of a duplicate when that word is on one side only, src/gateway/cache/unshared-word-odds.ts) and the
logit of a sparse logistic model over unshared words, unshared bigrams and the question-word pair
(src/gateway/cache/difference-bag.ts) — rows a model is fitted on get those from tables fitted without their own fold.
Every fitted method's calibration-half scores are out-of-fold (${FOLDS} folds), so its threshold is not read off rows it was fitted on.
\`lexical-400x5\` (a candidate, not shipped) is the same verifier with ${CANDIDATE_BOOST.trees} depth-${CANDIDATE_BOOST.depth} trees, each splitting on a random
${100 * (CANDIDATE_BOOST.colsample ?? 1)}% of the features: the variant bench/semantic-cache/tune.ts chose among ${TUNED_VARIANTS} by out-of-fold hits inside the
calibration half (TUNING.md; the held-out labels are not read there). Its held-out result below was measured once, after
that choice; it is not the default because its calibrated threshold gave more than 2% false hits on the held-out half.
\`lexical+use\` (**the default** since 2026-11-26): the lexical verifier with one more feature, the pair's cosine under
USE-lite, a 512-d sentence encoder whose weights ship in npm (src/providers/offline/use-lite; ~20 ms a question, on its
own thread). tune.ts chose it on the calibration half (TUNING.md) before this run measured it. \`${NESTED_CHOICE}\` is the
same verifier with only the number and negation guards vetoing and its threshold read at ${pct2(NESTED_CHOICE_TARGET)}: the setting a nested
cross-validation inside the calibration half chose for it (TUNING.md). Held out, its false hits went over 2%, so it is
not the default; the default keeps the standing protocol (every guard vetoes, ${pct(CALIBRATION_TARGET)}). That fallback was decided after seeing the
held-out half, so the default's held-out row below is the second look at that half, not an untouched estimate.

**Goal: ≥ 25% hit rate on duplicates at ≤ 2% false hits. ${chosen.heldOut.hit_rate >= 0.25 && chosen.heldOut.false_hit_rate <= 0.02 ? 'Met' : 'Not met'}**: the shipped default
(${SHIPPED}: the USE-lite verifier, every guard vetoes; threshold ${policy.threshold}) gives ${pct(chosen.heldOut.hit_rate)} hits at ${pct2(chosen.heldOut.false_hit_rate)} false hits on the held-out half
(the previous default, lexical + guards: ${pct(previous.heldOut.hit_rate)} at ${pct(previous.heldOut.false_hit_rate)}). Verifier cost: ${results.verifier_microseconds_per_pair} µs per verified
candidate (both texts profiled, guards, features, score), on top of the embeddings (SIF, and USE-lite's ~20 ms on its thread). The default policy
(src/gateway/cache/default-policy.ts and default-policy-tables.ts) is ${Math.round(results.default_policy_bytes / 1024)} KB.

| method | target | threshold (from calibration) | calibration half: hits / false hits | held-out half: hits / false hits |
|---|---|---|---|---|
${rows.join('\n')}

At equal false hits (${pct(CALIBRATION_TARGET)} on the held-out half, threshold read off that half — a comparison of rankings, not a result):
${Object.entries(atEqualFalseHits).map(([name, r]) => `${name} ${pct(r.hit_rate)}`).join(' · ')}.

GPTCache's plain cosine ${GPTCACHE_THRESHOLD} (held out): ${pct(gptcache.hit_rate)} hits, ${pct(gptcache.false_hit_rate)} false hits.

The shipped policy replayed through the real \`SemanticCache\` (memory backend, store then look up,
held-out half): ${pct(replay.hit_rate)} hits, ${pct2(replay.false_hit_rate)} false hits,
${results.shipped_policy_replay_held_out.lookups_per_second} pairs/s (store + look-up; USE-lite's vectors precomputed, so this is the SIF embedding, scan and verifier only).
\`plumb bench cache --pairs ${pairsFile} --json\` replays the whole file (both halves, so half of it
is the calibration data, whose labels the verifier's word tables were fitted on: an inflated number, not a result) the same way: ${pct(fullFile.hit_rate)} hits, ${pct(fullFile.false_hit_rate)} false hits over ${fullFile.pairs} pairs.

Candidates are found by a linear scan of the scope (one entry per scope here); the verifier runs
on at most the 5 closest candidates with cosine ≥ ${MIN_COSINE}.

## Sweeps (held-out half)

| method | threshold | hits on duplicates | false hits |
|---|---|---|---|
${sweepRows.join('\n')}
`;
}

// The shipped verifier's cost per candidate as SemanticCache pays it: both texts profiled, guards, features, score.
function verifierMicroseconds(): number {
  const sample = heldOut.slice(0, 2000);
  let sink = 0;
  const run = (): number => {
    const t = performance.now();
    for (const i of sample) {
      const p = pairs[i]!;
      const pa = textProfile(p.a, lexicon);
      const pb = textProfile(p.b, lexicon);
      sink += lexicalVerifierScore(encoderVerifier, [...lexicalVerifierFeatures(encoderVerifier, p.a, p.b, pa, pb, cosine[i]!, guardFlags(p.a, p.b)), dot(useVectors[i]![0], useVectors[i]![1])]);
    }
    return performance.now() - t;
  };
  run(); // warm-up: JIT and the stem cache
  const ms = Math.min(run(), run());
  return sink < 0 ? -1 : Math.round((ms * 1000) / sample.length);
}

function thresholdAt(score: number[], idx: number[], target: number): number {
  const negatives = idx.filter((i) => !pairs[i]!.duplicate).map((i) => score[i]!).sort((a, b) => b - a);
  // The smallest threshold whose false hits stay at or under the target: just above the k-th highest negative.
  const k = Math.floor(negatives.length * target);
  return (negatives[k] ?? -1) + 1e-9;
}

function rates(score: number[], idx: number[], threshold: number): Rates {
  let dup = 0, hit = 0, neg = 0, falseHit = 0;
  for (const i of idx) {
    const h = score[i]! >= threshold;
    if (pairs[i]!.duplicate) { dup++; if (h) hit++; } else { neg++; if (h) falseHit++; }
  }
  return { hit_rate: hit / dup, false_hit_rate: falseHit / neg };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function round(m: LogisticModel): LogisticModel {
  return { features: m.features, mean: m.mean.map(round4), scale: m.scale.map(round4), weights: m.weights.map(round4), bias: round4(m.bias) };
}

function writeDefaultPolicy(p: typeof policy, lexicalOnly: typeof policy): void {
  // Both verifiers' word tables are fitted on the same rows the same way: one copy serves both.
  for (const table of ['idf', 'unsharedOdds', 'differenceBag'] as const) {
    if (JSON.stringify(p.verifier[table]) !== JSON.stringify(lexicalOnly.verifier[table])) throw new Error(`the two policies' ${table} tables differ: they cannot share default-policy-tables.ts`);
  }
  const header = (what: string): string => `/**
 * ${what}, calibrated by bench/semantic-cache/run.ts --write-policy on
 * the even lines of QQP dev (verifier and tables fitted there, threshold at ${pct1(CALIBRATION_TARGET)} false hits there);
 * the odd lines are the held-out result in bench/semantic-cache/RESULTS.md. Generated: refit, do not edit.
 */`;
  fs.writeFileSync(
    TABLES_FILE,
    `${header("The default verifier's fitted tables (question IDF, unshared-word odds)")}
import type { DifferenceBagModel } from './difference-bag.ts';
import type { UnsharedWordOddsTable } from './unshared-word-odds.ts';
import type { WordIdfTable } from './word-idf.ts';

export const DEFAULT_IDF: WordIdfTable = ${JSON.stringify(p.verifier.idf)};

export const DEFAULT_UNSHARED_ODDS: UnsharedWordOddsTable = ${JSON.stringify(p.verifier.unsharedOdds)};

export const DEFAULT_DIFFERENCE_BAG: DifferenceBagModel = ${JSON.stringify(p.verifier.differenceBag)};
`,
  );
  fs.writeFileSync(
    POLICY_FILE,
    `${header("The semantic cache's default policy")}
import { DEFAULT_DIFFERENCE_BAG, DEFAULT_IDF, DEFAULT_UNSHARED_ODDS } from './default-policy-tables.ts';
import type { SemanticPolicy } from './semantic-policy.ts';

export const DEFAULT_SEMANTIC_POLICY: SemanticPolicy = ${policySource(p)};

/** The same verifier without the USE-lite feature (config cache.encoder: none): fewer hits, no encoder thread. */
export const LEXICAL_SEMANTIC_POLICY: SemanticPolicy = ${policySource(lexicalOnly)};
`,
  );
}

function policyBytes(): number {
  return [POLICY_FILE, TABLES_FILE].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

// Readable header, one line per tree (a full pretty-print of hundreds of trees would be ~10× longer).
function policySource(p: typeof policy): string {
  const v = p.verifier;
  const trees = v.trees.trees.map((t) => `        ${JSON.stringify(t)}`).join(',\n');
  return `{
  minCosine: ${p.minCosine},
  threshold: ${p.threshold},
  guards: ${JSON.stringify(p.guards).replaceAll('"', "'").replaceAll(',', ', ')},
  verifier: {
    kind: '${v.kind}',${v.encoder ? `\n    encoder: '${v.encoder}',` : ''}
    idf: DEFAULT_IDF,
    unsharedOdds: DEFAULT_UNSHARED_ODDS,
    differenceBag: DEFAULT_DIFFERENCE_BAG,
    logistic: ${JSON.stringify(v.logistic)},
    trees: {
      kind: 'boosted-trees',
      features: ${JSON.stringify(v.trees.features)},
      depth: ${v.trees.depth},
      bias: ${v.trees.bias},
      trees: [
${trees},
      ],
    },
  },
}`;
}

function pct1(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
