/**
 * Calibrations in the store, keyed by tenant and judge version: written by `plumb eval calibrate`,
 * read by reports that show a judge's agreement with people next to the judge's scores.
 */
import { z } from 'zod';
import { PlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import type { Store } from '../../core/store.ts';
import type { JudgeCalibration } from './calibrate-judge.ts';

const metric = z.number().nullable();
const calibrationSchema = z.object({
  judgeVersion: z.string(),
  judgeKind: z.enum(['heuristic', 'llm']),
  judgeName: z.string(),
  balancedAccuracy: metric,
  precision: metric,
  recall: metric,
  f1: metric,
  kappa: metric,
  n: z.number().int().nonnegative(),
  undetermined: z.number().int().nonnegative(),
  confusion: z.object({ truePositive: z.number(), falsePositive: z.number(), trueNegative: z.number(), falseNegative: z.number() }),
  reasons: z.array(z.string()),
  dataHash: z.string(),
  measuredAt: z.string(),
});

/** Stores a calibration under its judge version (replacing an earlier one of that version). */
export async function saveCalibration(store: Store, tenantId: string, calibration: JudgeCalibration): Promise<void> {
  await store.putJudgeCalibration(tenantId, calibration.judgeVersion, calibration as unknown as JsonObject);
}

/** The stored calibration of a judge version, or null when that version was never calibrated. */
export async function getCalibration(store: Store, tenantId: string, judgeVersion: string): Promise<JudgeCalibration | null> {
  const stored = await store.getJudgeCalibration(tenantId, judgeVersion);
  if (stored === null) return null;
  const parsed = calibrationSchema.safeParse(stored);
  if (!parsed.success) {
    throw new PlumbError('internal', `the stored calibration of judge ${judgeVersion} is malformed: ${z.prettifyError(parsed.error)}`, {
      hint: `re-run \`plumb eval calibrate\` with this judge to replace it`,
    });
  }
  return parsed.data;
}

/** One line for reports: "balanced accuracy 0.62, κ 0.21 vs human labels (n 700, 3 undetermined; offline-v1)". */
export function describeCalibration(c: JudgeCalibration | null): string {
  if (c === null) return 'not calibrated against human labels (run `plumb eval calibrate`)';
  const f = (x: number | null) => (x === null ? 'undetermined' : x.toFixed(2));
  const kind = c.judgeKind === 'heuristic' ? 'heuristic judge' : 'LLM judge';
  return `${kind} ${c.judgeVersion}: balanced accuracy ${f(c.balancedAccuracy)}, precision ${f(c.precision)}, recall ${f(c.recall)}, κ ${f(c.kappa)} against human labels (n ${c.n}${c.undetermined ? `, ${c.undetermined} undetermined` : ''}; data ${c.dataHash.slice(0, 12)}, ${c.measuredAt.slice(0, 10)})`;
}
