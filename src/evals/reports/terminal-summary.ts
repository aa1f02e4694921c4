/** The terminal summary of a run: one line per metric (mean, 95% CI, n, undetermined), then performance. */
import type { EvalRunSummary } from '../types.ts';

/** Renders a run summary for people. */
export function renderSummary(summary: EvalRunSummary, options: { problems?: number } = {}): string {
  const judge = (summary.config as { judge?: { name?: string; version?: string; kind?: string } | null }).judge;
  const lines = [
    `run ${summary.id} · ${summary.name} · ${summary.status}`,
    `golden set ${summary.goldenSet.name} (${summary.goldenSet.cases} cases, sha256 ${summary.goldenSet.contentHash.slice(0, 12)}…)` +
      (options.problems ? ` · ${options.problems} line(s) skipped` : ''),
    judge ? `judge ${judge.name} ${judge.version}${judge.kind === 'heuristic' ? ' (heuristic, not an LLM)' : ` (${judge.kind})`}` : 'judge: none',
    '',
    `${'metric'.padEnd(22)} ${'mean'.padStart(7)}  ${'95% CI'.padEnd(16)} ${'n'.padStart(5)} ${'undet.'.padStart(7)}`,
  ];
  for (const a of summary.aggregates) {
    const ci = a.ci95 ? `[${a.ci95[0].toFixed(3)}, ${a.ci95[1].toFixed(3)}]` : '—';
    lines.push(`${a.metric.padEnd(22)} ${(a.mean === null ? '—' : a.mean.toFixed(3)).padStart(7)}  ${ci.padEnd(16)} ${String(a.n).padStart(5)} ${String(a.undetermined).padStart(7)}`);
  }
  const perf = summary.performance as {
    requests?: number;
    errors?: number;
    latencyMs?: Record<string, { p50: number; p95: number; p99: number }>;
    tokens?: { input: number; output: number; perRequest: number };
    costUsd?: { total: number; per1kRequests: number } | null;
  };
  lines.push('');
  for (const [stage, p] of Object.entries(perf.latencyMs ?? {})) lines.push(`latency ${stage.padEnd(9)} p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}`);
  if (perf.tokens) lines.push(`tokens    ${perf.tokens.input} in, ${perf.tokens.output} out (${perf.tokens.perRequest} per request)`);
  lines.push(perf.costUsd ? `cost      $${perf.costUsd.total.toFixed(4)} total, $${perf.costUsd.per1kRequests.toFixed(4)} per 1,000 requests` : 'cost      not reported');
  if (perf.errors) lines.push(`errors    ${perf.errors} of ${perf.requests ?? '?'} cases failed (their scores are undetermined)`);
  return lines.join('\n');
}

function ms(x: number): string {
  return `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`.padStart(9);
}
