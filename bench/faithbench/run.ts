/**
 * FaithBench dev: hallucination detection with plumb's offline heuristic judge (no LLM).
 * Reads ../shared/datasets/faithbench/dev.jsonl as published (worst_label: Consistent/Benign =
 * faithful, Questionable/Unwanted = hallucinated = positive). There is only this one split, so:
 *   - "a priori": the fixed rule "any claim not supported" (nothing fitted to the data);
 *   - "5-fold CV": aggregator and threshold fitted on four folds, scored on the fifth, for five
 *     seeds — the out-of-fold numbers are the ones to quote for a fitted detector;
 *   - "in-sample": fitted and scored on all of dev (optimistic, shown for reference).
 * Also times the judge on a typical RAG case (3 claims × 8 chunks).
 *
 *   npx tsx bench/faithbench/run.ts        (writes bench/faithbench/results.json and RESULTS.md)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decomposeClaims } from '../../src/evals/claims/index.ts';
import { ANY_UNSUPPORTED_CLAIM, crossValidateDetector, detectHallucinations, fitDetector, judgeRows, readHallucinationFile, type JudgedRow } from '../../src/evals/hallucination/index.ts';
import { judgeLabel } from '../../src/evals/judges/judge.ts';
import { createOfflineJudge } from '../../src/evals/judges/offline/index.ts';
import type { ClassificationReport } from '../../src/evals/stats/classification.ts';
import { machineInfo } from '../machine.ts';
import { renderResults, type FaithbenchResults, type MetricsRow } from './report.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(HERE, '../../../shared/datasets/faithbench/dev.jsonl');
const SEEDS = [1, 2, 3, 4, 5];
const FOLDS = 5;

const data = readHallucinationFile(DATA);
const judge = createOfflineJudge();
// Load the word vectors before timing: a one-off cost per process, not per case.
await judge.judge(decomposeClaims('Warm up.'), [{ chunkId: 'w', documentId: 'w', text: 'Warm up.' }]);

const started = performance.now();
const judged = await judgeRows(data.rows, judge);
const judgeMs = performance.now() - started;
const grids = judged.map((j) => j.grid);
const labels = judged.map((j) => j.row.hallucinated);

const apriori = detectHallucinations(judged, ANY_UNSUPPORTED_CLAIM);
const cvRuns = SEEDS.map((seed) => crossValidateDetector(grids, labels, { folds: FOLDS, seed }));
const inSampleFit = fitDetector(grids, labels);
const inSample = detectHallucinations(judged, inSampleFit.detector);

const results: FaithbenchResults = {
  command: 'npx tsx bench/faithbench/run.ts',
  machine: machineInfo(),
  dataset: { file: '../shared/datasets/faithbench/dev.jsonl', rows: data.rows.length, skipped: data.problems.length, hallucinated: labels.filter(Boolean).length, faithful: labels.filter((l) => !l).length },
  judge: judgeLabel(judge),
  runtime: {
    judgeAllRowsMs: round(judgeMs, 1),
    msPerRow: round(judgeMs / judged.length, 3),
    claimsPerRow: round(grids.reduce((a, g) => a + g.claims.length, 0) / grids.length, 2),
    meanSourceChars: Math.round(data.rows.reduce((a, r) => a + r.context.length, 0) / data.rows.length),
    typicalRagCaseMs: await timeTypicalCase(),
  },
  apriori: metricsRow('a priori: any claim not supported (nothing fitted)', apriori.report, ANY_UNSUPPORTED_CLAIM),
  crossValidated: cvRuns.map((cv) => ({
    ...metricsRow(`5-fold CV, seed ${cv.seed}, out-of-fold`, cv.outOfFold, null),
    meanFoldBalancedAccuracy: cv.meanFoldBalancedAccuracy === null ? null : round(cv.meanFoldBalancedAccuracy, 4),
    detectorsChosen: cv.perFold.map((f) => `${f.detector.aggregator} > ${f.detector.threshold}`),
  })),
  crossValidatedMeanBalancedAccuracy: round(mean(cvRuns.map((cv) => cv.outOfFold.balancedAccuracy.value ?? 0)), 4),
  inSample: metricsRow('in-sample: fitted and scored on all of dev (optimistic)', inSample.report, inSampleFit.detector),
  examples: pickExamples(judged, apriori.predictions.map((p) => p.predicted)),
};

fs.writeFileSync(path.join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(path.join(HERE, 'RESULTS.md'), renderResults(results));
process.stdout.write(`${renderResults(results).split('\n').slice(0, 24).join('\n')}\n`);

function metricsRow(name: string, r: ClassificationReport, detector: { aggregator: string; threshold: number } | null): MetricsRow {
  const v = (x: number | null): number | null => (x === null ? null : round(x, 4));
  return {
    name,
    detector: detector === null ? null : `${detector.aggregator} > ${detector.threshold}`,
    balancedAccuracy: v(r.balancedAccuracy.value),
    precision: v(r.precision.value),
    recall: v(r.recall.value),
    f1: v(r.f1.value),
    kappa: v(r.kappa.value),
    accuracy: v(r.accuracy.value),
    n: r.n,
    confusion: { tp: r.confusion.truePositive, fp: r.confusion.falsePositive, tn: r.confusion.trueNegative, fn: r.confusion.falseNegative },
  };
}

/** One true positive, false positive, false negative and true negative, claim by claim. */
function pickExamples(rows: JudgedRow[], predicted: boolean[]): FaithbenchResults['examples'] {
  const kinds: Array<[string, boolean, boolean]> = [['true positive', true, true], ['false positive', false, true], ['false negative', true, false], ['true negative', false, false]];
  return kinds.flatMap(([kind, label, prediction]) => {
    // The shortest such row: examples a reader can check by eye.
    const candidates = rows.map((r, i) => ({ r, i })).filter(({ r, i }) => r.row.hallucinated === label && predicted[i] === prediction && r.grid.claims.length > 0);
    const pick = candidates.sort((a, b) => a.r.row.context.length + a.r.row.answer.length - (b.r.row.context.length + b.r.row.answer.length))[0];
    if (!pick) return [];
    const { row, grid } = pick.r;
    return [{
      kind,
      line: row.line,
      label: row.label,
      model: row.model ?? null,
      claims: grid.perClaim.map((p) => {
        const cell = grid.cells.find((c) => c.claimId === p.claimId && c.chunkId === p.bestChunkId);
        return { claim: grid.claims.find((c) => c.id === p.claimId)?.text ?? '', verdict: p.verdict, confidence: p.confidence, evidence: cell?.evidence?.text ?? null, reason: cell?.reasons[0] ?? '' };
      }),
    }];
  });
}

async function timeTypicalCase(): Promise<number> {
  const text = [
    'Poseidon is a 2006 disaster film directed by Wolfgang Petersen. It is a remake of the 1972 film.',
    'Poseidon grossed $ 181,674,817 at the worldwide box office on a budget of $ 160 million. Critics were mixed.',
    'The ship capsizes after a rogue wave on New Year\'s Eve. A small group of passengers climbs towards the hull.',
    'Kurt Russell plays a former mayor of New York. Josh Lucas plays a professional gambler.',
  ];
  const chunks = Array.from({ length: 8 }, (_, i) => ({ chunkId: `k${i}`, documentId: `d${i % 4}`, text: text[i % 4]! }));
  const claims = decomposeClaims('Poseidon is a 2006 disaster film; it grossed $181,674,817, and the budget was $160 million.');
  const runs = 200;
  const t = performance.now();
  for (let i = 0; i < runs; i++) await judge.judge(claims, chunks);
  return round((performance.now() - t) / runs, 3);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
