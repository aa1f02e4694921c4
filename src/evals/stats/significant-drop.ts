/**
 * The decision a CI gate makes for one metric (higher = better): did it regress by more than the
 * allowed drop, beyond doubt?
 *
 * The rule: a regression is flagged only when BOTH
 *   1. the mean paired drop (baseline − current, over the cases in both) exceeds `maxDrop`, and
 *   2. the upper end of the 95% bootstrap CI of the paired difference (current − baseline) lies
 *      below −maxDrop (below 0 when maxDrop is 0).
 *
 * Why this rule: a drop of up to `maxDrop` is tolerated by definition, so the question a gate must
 * answer is "is the true drop larger than tolerated?", not "is it non-zero?". Requiring the whole
 * CI to clear −maxDrop is a one-sided test at the 2.5% level against that margin (as in
 * non-inferiority trials): when the true drop is exactly the tolerated one, the gate fails at most
 * ~2.5% of the time, so it does not flap on noise and get switched off. The cost is power: on a
 * small golden set a real drop must exceed maxDrop by about the CI's half-width to be caught —
 * the report shows the CI so the user sees when the set is too small to tell. Condition 1 is
 * implied by 2 in nearly every case; it is checked so the decision never contradicts the mean.
 */
import { PlumbError } from '../../core/errors.ts';
import { pairedBootstrapDiff, type PairedDifference, type PairedOptions } from './paired-difference.ts';

export interface CaseChange {
  caseId: string;
  baseline: number;
  current: number;
  /** current − baseline (negative = worse). */
  change: number;
}

export interface DropDecision {
  regressed: boolean;
  maxDrop: number;
  /** Mean paired drop, baseline − current (positive = worse). */
  drop: number;
  diff: PairedDifference;
  /** One sentence saying what was decided and why, with the numbers. */
  reason: string;
  /** Cases that scored lower than in the baseline, worst first. */
  worsened: CaseChange[];
}

/** Decides whether `current` regressed from `baseline` by more than `maxDrop`, significantly. */
export function significantDrop(
  baseline: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  maxDrop: number,
  options: PairedOptions = {},
): DropDecision {
  if (!Number.isFinite(maxDrop) || maxDrop < 0) {
    throw new PlumbError('bad_request', `maxDrop must be a finite number ≥ 0, got ${maxDrop}.`, { hint: 'Give the largest tolerated drop, e.g. ndcg@10=0.01.' });
  }
  const diff = pairedBootstrapDiff(baseline, current, options);
  const drop = -diff.meanDiff;
  const upper = diff.ci95[1];
  const regressed = drop > maxDrop && upper < -maxDrop;
  const ci = `95% CI of the change [${fmt(diff.ci95[0])}, ${fmt(upper)}]`;
  let reason: string;
  if (regressed) reason = `dropped by ${fmt(drop)} (> ${fmt(maxDrop)} allowed) and the ${ci} lies entirely below −${fmt(maxDrop)} over ${diff.n} cases`;
  else if (drop <= maxDrop) reason = `changed by ${fmt(diff.meanDiff)}, within the allowed drop of ${fmt(maxDrop)} (${ci}, ${diff.n} cases)`;
  else reason = `dropped by ${fmt(drop)} (> ${fmt(maxDrop)} allowed) but not significantly: the ${ci} reaches above −${fmt(maxDrop)} over ${diff.n} cases`;
  return { regressed, maxDrop, drop, diff, reason, worsened: worsenedCases(baseline, current) };
}

/** Cases whose score went down from baseline to current, worst first (ties by id). */
export function worsenedCases(baseline: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>): CaseChange[] {
  const changes: CaseChange[] = [];
  for (const [caseId, before] of baseline) {
    const after = current.get(caseId);
    if (after !== undefined && after < before) changes.push({ caseId, baseline: before, current: after, change: after - before });
  }
  return changes.sort((x, y) => x.change - y.change || (x.caseId < y.caseId ? -1 : 1));
}

function fmt(value: number): string {
  return Number(value.toFixed(4)).toString();
}
