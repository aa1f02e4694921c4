/**
 * `plumb eval compare A B`: per metric, the paired difference (B − A) over the cases both runs
 * determined, with its bootstrap CI and sign-flip p-value; and the questions that got worse,
 * largest drops first. Pairing per question removes the between-question spread that would
 * otherwise hide real changes on a small golden set.
 */
import { pairedBootstrapDiff, type PairedDifference } from '../stats/paired-difference.ts';
import { worsenedCases } from '../stats/significant-drop.ts';
import type { RunExport } from './run-export.ts';
import { valuesByMetric } from './run-export.ts';

export interface MetricComparison {
  metric: string;
  meanA: number;
  meanB: number;
  diff: PairedDifference;
}

export interface WorsenedQuestion {
  caseId: string;
  question: string;
  metric: string;
  before: number;
  after: number;
  change: number;
}

export interface RunComparison {
  a: { id: string; name: string; contentHash: string };
  b: { id: string; name: string; contentHash: string };
  /** False when the runs used different golden data: the comparison is then over shared case ids only. */
  sameGoldenSet: boolean;
  metrics: MetricComparison[];
  /** Metrics only one run has, or with no shared determined case. */
  notCompared: string[];
  worsened: WorsenedQuestion[];
}

/** Compares run B against run A. */
export function compareRuns(a: RunExport, b: RunExport): RunComparison {
  const va = valuesByMetric(a.results);
  const vb = valuesByMetric(b.results);
  const questions = new Map([...a.results, ...b.results].map((r) => [r.caseId, r.question]));
  const metrics: MetricComparison[] = [];
  const notCompared: string[] = [];
  const worsened: WorsenedQuestion[] = [];
  for (const metric of new Set([...va.keys(), ...vb.keys()])) {
    const x = va.get(metric);
    const y = vb.get(metric);
    const shared = x && y ? [...x.keys()].filter((id) => y.has(id)) : [];
    if (!x || !y || shared.length === 0) {
      notCompared.push(metric);
      continue;
    }
    const diff = pairedBootstrapDiff(x, y, { seed: metric });
    metrics.push({ metric, meanA: meanOver(x, shared), meanB: meanOver(y, shared), diff });
    for (const c of worsenedCases(x, y)) worsened.push({ caseId: c.caseId, question: questions.get(c.caseId) ?? '', metric, before: c.baseline, after: c.current, change: c.change });
  }
  worsened.sort((p, q) => p.change - q.change || p.caseId.localeCompare(q.caseId) || p.metric.localeCompare(q.metric));
  return {
    a: { id: a.summary.id, name: a.summary.name, contentHash: a.summary.goldenSet.contentHash },
    b: { id: b.summary.id, name: b.summary.name, contentHash: b.summary.goldenSet.contentHash },
    sameGoldenSet: a.summary.goldenSet.contentHash === b.summary.goldenSet.contentHash,
    metrics,
    notCompared,
    worsened,
  };
}

/** The comparison as text for a terminal. */
export function renderComparison(c: RunComparison, maxWorsened = 15): string {
  const lines = [`B ${c.b.id} (${c.b.name}) vs A ${c.a.id} (${c.a.name})`];
  if (!c.sameGoldenSet) lines.push(`warning: different golden sets (${c.a.contentHash.slice(0, 12)}… vs ${c.b.contentHash.slice(0, 12)}…); compared over shared case ids only`);
  lines.push('', `${'metric'.padEnd(22)} ${'A'.padStart(7)} ${'B'.padStart(7)} ${'B − A'.padStart(8)}  95% CI               p      n`);
  for (const m of c.metrics) {
    const d = m.diff;
    lines.push(`${m.metric.padEnd(22)} ${f(m.meanA).padStart(7)} ${f(m.meanB).padStart(7)} ${signed(d.meanDiff).padStart(8)}  [${signed(d.ci95[0])}, ${signed(d.ci95[1])}]`.padEnd(70) + ` ${d.pValue.toFixed(3)} ${String(d.n).padStart(5)}`);
  }
  if (c.notCompared.length) lines.push('', `not compared (missing in one run or no shared determined case): ${c.notCompared.join(', ')}`);
  lines.push('', c.worsened.length ? `questions that got worse (${c.worsened.length}, largest drops first):` : 'no question got worse');
  for (const w of c.worsened.slice(0, maxWorsened)) lines.push(`  ${signed(w.change)} ${w.metric.padEnd(20)} ${w.caseId}: ${truncate(w.question, 70)}`);
  if (c.worsened.length > maxWorsened) lines.push(`  … and ${c.worsened.length - maxWorsened} more (--json lists all)`);
  return lines.join('\n');
}

function meanOver(values: ReadonlyMap<string, number>, ids: readonly string[]): number {
  return ids.reduce((s, id) => s + values.get(id)!, 0) / ids.length;
}

const f = (x: number) => x.toFixed(3);
const signed = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
export function truncate(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
