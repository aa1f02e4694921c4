import { describe, expect, it } from 'vitest';
import { scored, undetermined } from '../../core/score.ts';
import type { StoredCaseResult } from '../runner/stored-result.ts';
import type { EvalRunSummary } from '../types.ts';
import { compareRuns, renderComparison } from './compare.ts';
import { renderHtmlReport } from './html-report.ts';
import { runExport, type RunExport } from './run-export.ts';
import { renderSummary } from './terminal-summary.ts';

function run(id: string, values: Record<string, number | null>, answer = (caseId: string) => `answer ${caseId}`): RunExport {
  const results: StoredCaseResult[] = Object.entries(values).map(([caseId, v]) => ({
    caseId,
    question: `question ${caseId}?`,
    output: { caseId, answer: answer(caseId), contexts: [{ chunkId: `k-${caseId}`, documentId: 'd', text: `chunk text of ${caseId}` }] },
    scores: [v === null ? undetermined('faithfulness', 'no claims') : scored('faithfulness', v, 'because')],
  }));
  const summary: EvalRunSummary = {
    id,
    name: id,
    createdAt: '2025-01-01T00:00:00Z',
    goldenSet: { name: 'g', contentHash: 'h'.repeat(64), cases: results.length },
    config: { judge: { name: 'offline', version: 'offline-v1', kind: 'heuristic' } },
    aggregates: [{ metric: 'faithfulness', mean: 0.5, ci95: [0.4, 0.6], n: results.length, undetermined: 0 }],
    performance: { latencyMs: { retrieve: { p50: 1, p95: 2, p99: 3 } }, tokens: { input: 10, output: 5, perRequest: 1.5 }, costUsd: { total: 0, per1kRequests: 0 } },
    status: 'completed',
  };
  return runExport(summary, results);
}

describe('compareRuns', () => {
  it('gives paired differences and lists the questions that got worse, largest drop first', () => {
    const a = run('A', { q1: 1, q2: 1, q3: 0.5, q4: null });
    const b = run('B', { q1: 1, q2: 0.2, q3: 0.4, q4: 1 });
    const c = compareRuns(a, b);
    const f = c.metrics.find((m) => m.metric === 'faithfulness')!;
    expect(f.diff.n).toBe(3); // q4 undetermined in A: not paired, not a zero
    expect(f.diff.meanDiff).toBeCloseTo((0 - 0.8 - 0.1) / 3, 6);
    expect(c.worsened.map((w) => w.caseId)).toEqual(['q2', 'q3']);
    expect(c.worsened[0]!.question).toBe('question q2?');
    expect(renderComparison(c)).toMatch(/q2: question q2\?/);
  });
});

describe('reports', () => {
  it('terminal summary shows mean, CI, n, undetermined and the heuristic judge', () => {
    const text = renderSummary(run('A', { q1: 1 }).summary);
    expect(text).toMatch(/faithfulness\s+0\.500\s+\[0\.400, 0\.600\]\s+1\s+0/);
    expect(text).toMatch(/heuristic/);
  });

  it('HTML report has a row per question and escapes run text', () => {
    const evil = run('A', { q1: 0.9, q2: null }, (id) => (id === 'q1' ? '<script>alert(1)</script> & "quoted"' : 'fine'));
    evil.results[0]!.scores[0] = scored('faithfulness', 0.9, 'because', {
      evidence: {
        grid: {
          claims: [{ id: 'c1', text: 'claim <b>one</b>', sentenceIndex: 0, span: [0, 5] }],
          cells: [{ claimId: 'c1', chunkId: 'k-q1', verdict: 'supported', confidence: 0.8, evidence: { text: 'text', start: 6, end: 10 }, reasons: ['overlap'] }],
          perClaim: [{ claimId: 'c1', verdict: 'supported', bestChunkId: 'k-q1', confidence: 0.8 }],
        },
      },
    });
    const html = renderHtmlReport(evil, { calibration: { balanced_accuracy: 0.6123, kappa: 0.2 } });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    expect(html).toContain('claim &lt;b&gt;one&lt;/b&gt;');
    expect(html.match(/<tr data-case="/g)).toHaveLength(2);
    expect(html).toContain('<tr data-case="q2">');
    expect(html).toContain('<mark>text</mark>');
    expect(html).toContain('class="v-supported"');
    expect(html).toContain('balanced_accuracy 0.612');
    expect(html).toMatch(/heuristic<\/strong>/);
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });
});
