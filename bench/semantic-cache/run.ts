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
import { createOfflineEmbedder } from '../../src/providers/offline/embedder-factory.ts';
import { loadWordVectors } from '../../src/providers/offline/word-vectors.ts';
import { guardFlags, type GuardFlags } from '../../src/gateway/cache/guards.ts';
import { fitLogistic, logisticScore, type LogisticModel } from '../../src/gateway/cache/logistic-model.ts';
import { createMemoryCacheBackend } from '../../src/gateway/cache/memory-backend.ts';
import { readPairs, replayPairs, replaySummary, type LabelledPair } from '../../src/gateway/cache/replay-pairs.ts';
import { SemanticCache } from '../../src/gateway/cache/semantic-cache.ts';
import { fitBoostedTrees, treeEnsembleScore, type BoostOptions, type TreeEnsembleVerifier } from '../../src/gateway/cache/boosted-trees.ts';
import { EXTENDED_FEATURE_NAMES, extendedPairFeatures, FEATURE_NAMES, textProfile } from '../../src/gateway/cache/verifier-features.ts';
import { machineInfo, machineLine } from '../machine.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const pairsFile = argv.includes('--pairs') ? argv[argv.indexOf('--pairs') + 1]! : '/work/shared/datasets/qqp/pairs.dev.jsonl';
const writePolicy = argv.includes('--write-policy');
// Candidates below this cosine are never verified (and the verifier is fitted on those above it).
const MIN_COSINE = 0.6;
// The calibration half's false-hit target; below the 2% goal to leave room for the held-out half's variance.
const CALIBRATION_TARGET = 0.015;
const GPTCACHE_THRESHOLD = 0.9;

const pairs = readPairs(pairsFile);
const embedder = createOfflineEmbedder();
const lexicon = await loadWordVectors();
const t0 = performance.now();
const embedAll = async (texts: string[]): Promise<Float32Array[]> => {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 5000) out.push(...(await embedder.embed(texts.slice(i, i + 5000))).vectors);
  return out;
};
const va = await embedAll(pairs.map((p) => p.a));
const vb = await embedAll(pairs.map((p) => p.b));
const cosine = pairs.map((_, i) => dot(va[i]!, vb[i]!));
const guards: GuardFlags[] = pairs.map((p) => guardFlags(p.a, p.b));
const extended = pairs.map((p, i) => extendedPairFeatures(p.a, p.b, textProfile(p.a, lexicon), textProfile(p.b, lexicon), cosine[i]!, guards[i]!));
const features = extended.map((x) => x.slice(0, FEATURE_NAMES.length));
const featureMs = performance.now() - t0;

const calibration = pairs.map((_, i) => i).filter((i) => i % 2 === 0);
const heldOut = pairs.map((_, i) => i).filter((i) => i % 2 === 1);
const anyGuard = (i: number): boolean => guards[i]!.numbers || guards[i]!.entities || guards[i]!.negation;

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

// A score per pair per method; -1 = never a hit.
const methods: Record<string, number[]> = {
  cosine: cosine,
  'cosine+guards': cosine.map((c, i) => (anyGuard(i) ? -1 : c)),
  verifier: pairs.map((_, i) => (cosine[i]! < MIN_COSINE ? -1 : logisticScore(verifier, features[i]!))),
  'verifier+guards': pairs.map((_, i) => (cosine[i]! < MIN_COSINE || anyGuard(i) ? -1 : logisticScore(verifier, features[i]!))),
  'trees+logistic': ensembleScore,
  'trees+logistic+guards': ensembleScore.map((s, i) => (anyGuard(i) ? -1 : s)),
};

interface Operating { threshold: number; calibration: Rates; heldOut: Rates }
interface Rates { hit_rate: number; false_hit_rate: number }
const operating: Record<string, Operating> = {};
const sweeps: Record<string, Array<{ threshold: number } & Rates>> = {};
for (const [name, score] of Object.entries(methods)) {
  const threshold = thresholdAt(score, calibration, CALIBRATION_TARGET);
  operating[name] = { threshold, calibration: rates(score, calibration, threshold), heldOut: rates(score, heldOut, threshold) };
  const grid = name.startsWith('cosine') ? [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99] : [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
  sweeps[name] = grid.map((t) => ({ threshold: t, ...rates(score, heldOut, t) }));
}
const gptcache = rates(cosine, heldOut, GPTCACHE_THRESHOLD);
// For comparison only (thresholds read off the held-out half itself): hits at equal false hits, so a
// method is not credited for a threshold that happened to land at a higher false-hit rate.
const atEqualFalseHits = Object.fromEntries(Object.entries(methods).map(([name, score]) => [name, rates(score, heldOut, thresholdAt(score, heldOut, CALIBRATION_TARGET))]));

const previous = operating['verifier+guards']!;
const chosen = operating['trees+logistic+guards']!;
const policy = { minCosine: MIN_COSINE, threshold: round4(chosen.threshold), verifier: ensemble, guards: true };
if (writePolicy) writeDefaultPolicy(policy);

// The shipped default, replayed through the real cache (store a, look up b) on the held-out half.
const cache = new SemanticCache({ backend: createMemoryCacheBackend(), embedder, lexicon: async () => lexicon, policy });
const heldOutPairs: LabelledPair[] = heldOut.map((i) => pairs[i]!);
const t1 = performance.now();
const replay = replaySummary(heldOutPairs, await replayPairs(cache, heldOutPairs), policy.threshold);
const replayMs = performance.now() - t1;
// What `plumb bench cache --pairs <file>` prints: the same replay over the whole file (both halves).
const fullFile = replaySummary(pairs, await replayPairs(new SemanticCache({ backend: createMemoryCacheBackend(), embedder, lexicon: async () => lexicon, policy }), pairs), policy.threshold);

const machine = machineInfo();
const results = {
  dataset: pairsFile,
  pairs: pairs.length,
  split: 'even lines calibrate (fit + threshold), odd lines held out',
  min_cosine: MIN_COSINE,
  calibration_target_false_hit_rate: CALIBRATION_TARGET,
  operating_points: operating,
  gptcache_threshold_0_90_held_out: gptcache,
  held_out_at_equal_false_hits_not_calibrated: atEqualFalseHits,
  sweeps_held_out: sweeps,
  shipped_policy_replay_full_file: fullFile,
  shipped_policy_replay_held_out: { ...replay, lookups_per_second: Math.round(heldOutPairs.length / (replayMs / 1000)) },
  verifier: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, verifier.weights[j]])),
  shipped_verifier: { kind: ensemble.kind, features: EXTENDED_FEATURE_NAMES, boost: BOOST, folds_for_calibration_scores: FOLDS },
  verifier_microseconds_per_pair: verifierMicroseconds(),
  feature_ms: Math.round(featureMs),
  machine,
};
fs.writeFileSync(path.join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(HERE, 'RESULTS.md'), markdown());
console.log(JSON.stringify({ operating, gptcache, replay }, null, 2));
await embedder.embed([]);

function markdown(): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const rows = Object.entries(operating).map(([name, o]) => `| ${name} | ${o.threshold.toFixed(3)} | ${pct(o.calibration.hit_rate)} / ${pct(o.calibration.false_hit_rate)} | **${pct(o.heldOut.hit_rate)}** / ${pct(o.heldOut.false_hit_rate)} |`);
  const sweepRows = Object.entries(sweeps).flatMap(([name, s]) => s.map((r) => `| ${name} | ${r.threshold} | ${pct(r.hit_rate)} | ${pct(r.false_hit_rate)} |`));
  return `# Semantic cache on QQP dev pairs

\`npx tsx bench/semantic-cache/run.ts\` · ${pairs.length} pairs from \`${pairsFile}\` · ${machineLine(machine)}

For each pair the first question is stored in an empty scope and the second looked up: a hit on a
duplicate pair is a good hit, on a non-duplicate a false hit. Even lines calibrate (the verifier is
fitted there, on pairs with cosine ≥ ${MIN_COSINE}, and each method's threshold is the one giving
${pct(CALIBRATION_TARGET)} false hits there); **odd lines are held out, and are the result**.
Embeddings: the offline SIF embedder (100-d GloVe). Guards: different numbers, named entities,
negation (src/gateway/cache/guards.ts). \`verifier\`: logistic regression over ${FEATURE_NAMES.length}
pair features (src/gateway/cache/verifier-features.ts; the previous default). \`trees+logistic\`: the mean of
${BOOST.trees} boosted depth-${BOOST.depth} trees (src/gateway/cache/boosted-trees.ts, fitted in-process) and a logistic model, both over
${EXTENDED_FEATURE_NAMES.length} features (the ${FEATURE_NAMES.length} plus a rarity-weighted word-mover alignment, the rarest unmatched word, where the
questions start to differ, shared word order, question-word codes, first-content-word agreement); its calibration-half
scores are out-of-fold (${FOLDS} folds), so its threshold is not read off rows the trees were fitted on.

**Goal: ≥ 25% hit rate on duplicates at ≤ 2% false hits. ${chosen.heldOut.hit_rate >= 0.25 && chosen.heldOut.false_hit_rate <= 0.02 ? 'Met' : 'Not met'}**: the shipped default
(trees+logistic + guards, threshold ${policy.threshold}) gives ${pct(chosen.heldOut.hit_rate)} hits at ${pct(chosen.heldOut.false_hit_rate)} false hits on the held-out half
(the previous default, verifier + guards: ${pct(previous.heldOut.hit_rate)} at ${pct(previous.heldOut.false_hit_rate)}). Verifier cost: ${results.verifier_microseconds_per_pair} µs per verified
candidate (features + score, both texts profiled), on top of the embedding.

| method | threshold (from calibration) | calibration half: hits / false hits | held-out half: hits / false hits |
|---|---|---|---|
${rows.join('\n')}

At equal false hits (${pct(CALIBRATION_TARGET)} on the held-out half, threshold read off that half — a comparison of rankings, not a result):
${Object.entries(atEqualFalseHits).map(([name, r]) => `${name} ${pct(r.hit_rate)}`).join(' · ')}.

GPTCache's plain cosine ${GPTCACHE_THRESHOLD} (held out): ${pct(gptcache.hit_rate)} hits, ${pct(gptcache.false_hit_rate)} false hits.

The shipped policy replayed through the real \`SemanticCache\` (memory backend, store then look up,
held-out half): ${pct(replay.hit_rate)} hits, ${pct(replay.false_hit_rate)} false hits,
${results.shipped_policy_replay_held_out.lookups_per_second} pairs/s (store + look-up, one embed each).
\`plumb bench cache --pairs ${pairsFile} --json\` replays the whole file (both halves, so half of it
is the calibration data) the same way: ${pct(fullFile.hit_rate)} hits, ${pct(fullFile.false_hit_rate)} false hits over ${fullFile.pairs} pairs.

Candidates are found by a linear scan of the scope (one entry per scope here); the verifier runs
on at most the 5 closest candidates with cosine ≥ ${MIN_COSINE}.

## Sweeps (held-out half)

| method | threshold | hits on duplicates | false hits |
|---|---|---|---|
${sweepRows.join('\n')}
`;
}

function verifierMicroseconds(): number {
  const sample = heldOut.slice(0, 2000);
  const t = performance.now();
  let sink = 0;
  for (const i of sample) {
    const p = pairs[i]!;
    sink += treeEnsembleScore(ensemble, extendedPairFeatures(p.a, p.b, textProfile(p.a, lexicon), textProfile(p.b, lexicon), cosine[i]!, guardFlags(p.a, p.b)));
  }
  return sink < 0 ? -1 : Math.round(((performance.now() - t) * 1000) / sample.length);
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

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function round(m: LogisticModel): LogisticModel {
  return { features: m.features, mean: m.mean.map(round4), scale: m.scale.map(round4), weights: m.weights.map(round4), bias: round4(m.bias) };
}

function writeDefaultPolicy(p: typeof policy): void {
  const file = path.join(HERE, '../../src/gateway/cache/default-policy.ts');
  fs.writeFileSync(
    file,
    `/**
 * The semantic cache's default policy, calibrated by bench/semantic-cache/run.ts --write-policy on
 * the even lines of QQP dev (verifier fitted there, threshold at ${pct1(CALIBRATION_TARGET)} false hits there);
 * the odd lines are the held-out result in bench/semantic-cache/RESULTS.md. Generated: refit, do not edit.
 */
import type { SemanticPolicy } from './semantic-policy.ts';

export const DEFAULT_SEMANTIC_POLICY: SemanticPolicy = ${policySource(p)};
`,
  );
}

// Readable header, one line per tree (a full pretty-print of ${BOOST.trees} trees would be ~10× longer).
function policySource(p: typeof policy): string {
  const v = p.verifier;
  const trees = v.trees.trees.map((t) => `        ${JSON.stringify(t)}`).join(',\n');
  return `{
  minCosine: ${p.minCosine},
  threshold: ${p.threshold},
  guards: ${p.guards},
  verifier: {
    kind: 'trees+logistic',
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
