/**
 * The regression gate: for each gated metric, the paired drop from baseline to current over the
 * cases both determined, failing only when the drop exceeds the allowed one beyond doubt (the
 * whole 95% CI of the change lies below −maxDrop; see stats/significant-drop.ts). A noisy small
 * drop passes; a clear one fails and names the questions that got worse.
 */
import { PlumbError } from '../../core/errors.ts';
import type { RunExport } from '../reports/run-export.ts';
import { truncate } from '../reports/compare.ts';
import { valuesByMetric } from '../reports/run-export.ts';
import { significantDrop, type DropDecision } from '../stats/significant-drop.ts';

export interface GateMetricResult extends DropDecision {
  metric: string;
  baselineMean: number;
  currentMean: number;
  /** Worsened cases with their questions, worst first. */
  worsenedQuestions: Array<{ caseId: string; question: string; baseline: number; current: number; change: number }>;
}

export interface GateResult {
  passed: boolean;
  baseline: { id: string; name: string; contentHash: string };
  current: { id: string; name: string; contentHash: string };
  sameGoldenSet: boolean;
  metrics: GateMetricResult[];
}

/** Gates `current` against `baseline` on the metrics of `maxDrop`. */
export function runGate(baseline: RunExport, current: RunExport, maxDrop: ReadonlyMap<string, number>): GateResult {
  const vb = valuesByMetric(baseline.results);
  const vc = valuesByMetric(current.results);
  const questions = new Map(current.results.map((r) => [r.caseId, r.question]));
  const metrics: GateMetricResult[] = [];
  for (const [metric, allowed] of maxDrop) {
    const b = vb.get(metric);
    const c = vc.get(metric);
    if (!b || !c) {
      const known = [...new Set([...vb.keys(), ...vc.keys()])].sort().join(', ');
      throw new PlumbError('bad_request', `metric "${metric}" has no determined value in the ${!b ? 'baseline' : 'current run'}`, { hint: `gate on metrics both runs have: ${known}` });
    }
    const decision = significantDrop(b, c, allowed, { seed: metric });
    const shared = [...b.keys()].filter((id) => c.has(id));
    metrics.push({
      metric,
      ...decision,
      baselineMean: shared.reduce((s, id) => s + b.get(id)!, 0) / Math.max(1, shared.length),
      currentMean: shared.reduce((s, id) => s + c.get(id)!, 0) / Math.max(1, shared.length),
      worsenedQuestions: decision.worsened.map((w) => ({ ...w, question: questions.get(w.caseId) ?? '' })),
    });
  }
  return {
    passed: metrics.every((m) => !m.regressed),
    baseline: { id: baseline.summary.id, name: baseline.summary.name, contentHash: baseline.summary.goldenSet.contentHash },
    current: { id: current.summary.id, name: current.summary.name, contentHash: current.summary.goldenSet.contentHash },
    sameGoldenSet: baseline.summary.goldenSet.contentHash === current.summary.goldenSet.contentHash,
    metrics,
  };
}

/** The gate's verdict for a terminal. */
export function renderGate(result: GateResult, maxQuestions = 10): string {
  const lines = [`gate: ${result.passed ? 'PASSED' : 'FAILED'} — run ${result.current.id} against baseline ${result.baseline.id}`];
  if (!result.sameGoldenSet) lines.push(`warning: the golden sets differ (${result.baseline.contentHash.slice(0, 12)}… vs ${result.current.contentHash.slice(0, 12)}…); compared over shared case ids`);
  for (const m of result.metrics) {
    lines.push(`${m.regressed ? '✗' : '✓'} ${m.metric}: ${m.baselineMean.toFixed(3)} → ${m.currentMean.toFixed(3)}; ${m.reason}`);
    if (m.regressed) {
      for (const w of m.worsenedQuestions.slice(0, maxQuestions)) lines.push(`    ${w.change.toFixed(3)} ${w.caseId}: ${truncate(w.question, 80)}`);
      if (m.worsenedQuestions.length > maxQuestions) lines.push(`    … and ${m.worsenedQuestions.length - maxQuestions} more`);
    }
  }
  return lines.join('\n');
}
