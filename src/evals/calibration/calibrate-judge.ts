/**
 * How far to trust a judge: run it over answers people have labelled (hallucinated or not) and
 * measure agreement — balanced accuracy, precision, recall, F1 and Cohen's κ, hallucinated being
 * the positive class. The result names the judge version and the exact data (a content hash) it
 * was measured on, so a report can show it next to that judge's scores and no other's.
 */
import { sha256 } from '../../core/hash.ts';
import { decomposeClaims } from '../claims/index.ts';
import type { Claim, SupportJudge } from '../judges/judge.ts';
import { mapPool } from '../runner/promise-pool.ts';
import { reportFromConfusion, type ConfusionMatrix } from '../stats/classification.ts';

/** One labelled example: a context, an answer written from it, and whether people found it hallucinated. */
export interface LabelledRow {
  context: string;
  answer: string;
  /** true = hallucinated (the positive class). */
  label: boolean;
}

/** A judge's measured agreement with human labels. Metrics are null when undetermined (see `reasons`). */
export interface JudgeCalibration {
  judgeVersion: string;
  judgeKind: 'heuristic' | 'llm';
  judgeName: string;
  balancedAccuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  kappa: number | null;
  /** Rows the judge decided (the metrics rest on these). */
  n: number;
  /** Rows the judge could not decide, left out of the metrics. */
  undetermined: number;
  confusion: ConfusionMatrix;
  /** Why each null metric is null, and why rows were undetermined (first few). */
  reasons: string[];
  /** sha256 of the labelled rows, in order. */
  dataHash: string;
  /** ISO time of the measurement. */
  measuredAt: string;
}

/** The judge's call on one row: hallucinated, faithful, or undetermined with the reason. */
export interface RowPrediction {
  index: number;
  label: boolean;
  predicted: boolean | null;
  reason: string;
}

export interface CalibrateOptions {
  judge: SupportJudge;
  rows: LabelledRow[];
  /** Answer → claims; default the offline decomposer, so only the support judge is measured. */
  decompose?: (answer: string) => Claim[] | Promise<Claim[]>;
  /** Rows judged at once. Default 4. */
  concurrency?: number;
  /** Called as each row is judged (progress bars, per-row output). */
  onRow?: (prediction: RowPrediction) => void;
  now?: () => Date;
}

const MAX_REASONS = 5;

/** Measures a judge against labelled rows. */
export async function calibrateJudge(options: CalibrateOptions): Promise<JudgeCalibration> {
  const { judge, rows } = options;
  const decompose = options.decompose ?? decomposeClaims;
  const predictions = await mapPool(rows, options.concurrency ?? 4, async (row, index) => {
    const prediction = await predictRow(judge, decompose, row, index);
    options.onRow?.(prediction);
    return prediction;
  });

  const confusion: ConfusionMatrix = { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
  const reasons: string[] = [];
  let undetermined = 0;
  for (const p of predictions) {
    if (p.predicted === null) {
      undetermined++;
      if (reasons.length < MAX_REASONS) reasons.push(`row ${p.index + 1} undetermined: ${p.reason}`);
      continue;
    }
    if (p.predicted && p.label) confusion.truePositive++;
    else if (p.predicted) confusion.falsePositive++;
    else if (p.label) confusion.falseNegative++;
    else confusion.trueNegative++;
  }
  const report = reportFromConfusion(confusion);
  const metric = (score: { name: string; value: number | null; reason: string }) => {
    if (score.value === null) reasons.unshift(`${score.name} undetermined: ${score.reason}`);
    return score.value;
  };
  return {
    judgeVersion: judge.version,
    judgeKind: judge.kind,
    judgeName: judge.name,
    balancedAccuracy: metric(report.balancedAccuracy),
    precision: metric(report.precision),
    recall: metric(report.recall),
    f1: metric(report.f1),
    kappa: metric(report.kappa),
    n: report.n,
    undetermined,
    confusion,
    reasons,
    dataHash: labelledDataHash(rows),
    measuredAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

/** sha256 over the rows (context, answer, label) in order: the exact data a calibration names. */
export function labelledDataHash(rows: LabelledRow[]): string {
  return sha256(JSON.stringify(rows.map((r) => [r.context, r.answer, r.label])));
}

/**
 * A row is hallucinated when any claim of its answer is unsupported or contradicted, faithful
 * when every claim is supported; anything else (no claims, undetermined claims) is undetermined.
 */
async function predictRow(
  judge: SupportJudge,
  decompose: (answer: string) => Claim[] | Promise<Claim[]>,
  row: LabelledRow,
  index: number,
): Promise<RowPrediction> {
  const base = { index, label: row.label };
  const claims = await decompose(row.answer);
  if (claims.length === 0) return { ...base, predicted: null, reason: 'the answer has no checkable claim' };
  const grid = await judge.judge(claims, [{ chunkId: 'context', documentId: 'context', text: row.context }]);
  const bad = grid.perClaim.find((v) => v.verdict !== 'supported');
  if (bad) {
    const claim = claims.find((c) => c.id === bad.claimId);
    return { ...base, predicted: true, reason: `claim ${bad.claimId} is ${bad.verdict}: "${claim?.text ?? ''}"` };
  }
  const judged = new Set(grid.perClaim.map((v) => v.claimId));
  const open = claims.filter((c) => !judged.has(c.id));
  if (open.length > 0) {
    const why = undeterminedReason(grid, open[0]!.id);
    return { ...base, predicted: null, reason: `${open.length} of ${claims.length} claims undetermined${why ? `: ${why}` : ''}` };
  }
  return { ...base, predicted: false, reason: `all ${claims.length} claims supported` };
}

/** The judge's own reason for an undetermined claim, when it gives one (the LLM judge does). */
function undeterminedReason(grid: object, claimId: string): string | null {
  const list = (grid as { undetermined?: unknown }).undetermined;
  if (!Array.isArray(list)) return null;
  const entry = list.find((u): u is { claimId: string; reason: string } => typeof u === 'object' && u !== null && (u as { claimId?: unknown }).claimId === claimId);
  return entry?.reason ?? null;
}
