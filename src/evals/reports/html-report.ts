/**
 * The self-contained HTML report of a run: one file, inline CSS and JS, nothing fetched. Score
 * distributions (SVG histograms), a sortable per-question table, a drill-down per question into
 * the retrieved chunks and the attribution grid, and the judge's kind ("heuristic" for the
 * offline judge) with its stored calibration when there is one. All run text is escaped.
 */
import type { JsonObject } from '../../core/json.ts';
import type { StoredCaseResult } from '../runner/stored-result.ts';
import { chunksHtml, gridHtml, gridOf } from './attribution-html.ts';
import { escapeHtml } from './html-escape.ts';
import type { RunExport } from './run-export.ts';
import { svgHistogram } from './svg-histogram.ts';

export interface HtmlReportOptions {
  /** The judge's stored calibration (store.getJudgeCalibration), shown beside its scores. */
  calibration?: JsonObject | null;
}

/** Metrics shown as table columns, in this order when present. */
const TABLE_METRICS = ['ndcg@10', 'recall@5', 'token_f1', 'faithfulness', 'citation_accuracy', 'answer_relevance', 'abstention'];

/** Renders a run as one HTML document. */
export function renderHtmlReport(run: RunExport, options: HtmlReportOptions = {}): string {
  const { summary, results } = run;
  const judge = (summary.config as { judge?: { name?: string; version?: string; kind?: string } | null }).judge ?? null;
  const present = new Set(results.flatMap((r) => r.scores.map((s) => s.name)));
  const columns = TABLE_METRICS.filter((m) => present.has(m));
  const body = [
    `<h1>plumb eval · ${escapeHtml(summary.name)}</h1>`,
    `<p class="muted">run <code>${escapeHtml(summary.id)}</code> · ${escapeHtml(summary.createdAt)} · ${escapeHtml(summary.status)} · golden set ${escapeHtml(summary.goldenSet.name)} (${summary.goldenSet.cases} cases, sha256 <code>${escapeHtml(summary.goldenSet.contentHash.slice(0, 16))}…</code>)</p>`,
    judgeHtml(judge, options.calibration ?? null),
    aggregatesHtml(run),
    `<h2>Questions</h2><p class="muted">click a column to sort; click a question for its chunks and attribution grid</p>`,
    tableHtml(results, columns),
    `<h2>Drill-down</h2>`,
    results.map((r, i) => caseHtml(r, i)).join('\n'),
    `<h2>Configuration</h2><pre>${escapeHtml(JSON.stringify({ config: summary.config, performance: summary.performance }, null, 2))}</pre>`,
  ].join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>plumb eval · ${escapeHtml(summary.name)}</title><style>${CSS}</style></head><body>${body}<script>${SORT_JS}</script></body></html>\n`;
}

function judgeHtml(judge: { name?: string; version?: string; kind?: string } | null, calibration: JsonObject | null): string {
  if (!judge) return '<p class="judge">judge: none (faithfulness and citation accuracy are undetermined)</p>';
  const kind = judge.kind === 'heuristic' ? '<strong>heuristic</strong> (offline rules, not an LLM)' : escapeHtml(judge.kind ?? 'unknown');
  const cal = calibration
    ? `calibration against human labels: ${Object.entries(calibration)
        .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
        .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(typeof v === 'number' ? Number(v.toFixed(3)) : v)}`)
        .join(' · ')}`
    : 'no stored calibration for this judge version (run `plumb eval calibrate`)';
  return `<p class="judge">judge <code>${escapeHtml(judge.name)}</code> ${escapeHtml(judge.version)} · ${kind}<br><span class="muted">${cal}</span></p>`;
}

function aggregatesHtml(run: RunExport): string {
  const cards = run.summary.aggregates
    .map((a) => {
      const values = run.results.flatMap((r) => r.scores.filter((s) => s.name === a.metric && s.value !== null).map((s) => s.value!));
      const ci = a.ci95 ? `[${a.ci95[0].toFixed(3)}, ${a.ci95[1].toFixed(3)}]` : '—';
      return `<div class="card"><div class="metric">${escapeHtml(a.metric)}</div><div class="mean">${a.mean === null ? '—' : a.mean.toFixed(3)}</div><div class="muted">95% CI ${ci} · n ${a.n} · undetermined ${a.undetermined}</div>${values.length ? svgHistogram(values, a.metric) : ''}</div>`;
    })
    .join('');
  return `<h2>Scores</h2><div class="cards">${cards}</div>`;
}

function tableHtml(results: readonly StoredCaseResult[], columns: readonly string[]): string {
  const head = ['#', 'id', 'question', ...columns].map((c, i) => `<th data-col="${i}">${escapeHtml(c)}</th>`).join('');
  const rows = results
    .map((r, i) => {
      const cells = columns.map((m) => {
        const s = r.scores.find((x) => x.name === m);
        if (!s) return '<td data-v="" class="muted">·</td>';
        if (s.value === null) return `<td data-v="" class="undet" title="${escapeHtml(s.reason)}">undet.</td>`;
        return `<td data-v="${s.value}" title="${escapeHtml(s.reason)}" style="background:${shade(s.value)}">${s.value.toFixed(2)}</td>`;
      });
      return `<tr data-case="${escapeHtml(r.caseId)}"><td data-v="${i}">${i + 1}</td><td>${escapeHtml(r.caseId)}</td><td><a href="#case-${i}">${escapeHtml(r.question)}</a>${r.output.error ? ' <span class="err">error</span>' : ''}</td>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table id="cases" class="cases"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function caseHtml(r: StoredCaseResult, i: number): string {
  const scores = r.scores
    .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${s.value === null ? '<span class="undet">undetermined</span>' : s.value.toFixed(3)}</td><td class="muted">${escapeHtml(s.method ?? '')}</td><td>${escapeHtml(s.reason)}</td></tr>`)
    .join('');
  const grid = gridOf(r.scores.find((s) => s.name === 'faithfulness'));
  const latency = Object.entries(r.output.latencyMs ?? {}).map(([k, v]) => `${escapeHtml(k)} ${v.toFixed(1)} ms`).join(' · ');
  return `<details id="case-${i}" class="case"><summary><strong>${escapeHtml(r.caseId)}</strong> ${escapeHtml(r.question)}</summary>
<dl><dt>answer</dt><dd class="answer">${escapeHtml(r.output.answer) || '<span class="muted">(empty)</span>'}</dd>
${r.referenceAnswer !== undefined ? `<dt>reference</dt><dd>${escapeHtml(r.referenceAnswer)}</dd>` : ''}${r.unanswerable ? '<dt>expected</dt><dd>abstain (unanswerable)</dd>' : ''}
${r.output.error ? `<dt>error</dt><dd class="err">${escapeHtml(r.output.error)}</dd>` : ''}${latency ? `<dt>latency</dt><dd>${latency}</dd>` : ''}</dl>
<table class="scores"><tbody>${scores}</tbody></table>
<h3>Attribution grid (claims × retrieved chunks)</h3>${grid ? gridHtml(grid, r.output.contexts) : '<p class="muted">no attribution grid (no judge, no claims, or no contexts)</p>'}
<h3>Retrieved chunks</h3>${chunksHtml(r.output.contexts)}</details>`;
}

/** Red → green background for a [0, 1] score. */
function shade(v: number): string {
  const x = Math.max(0, Math.min(1, v));
  return `hsl(${Math.round(x * 120)} 60% 88%)`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d1d1f}
code,pre{font:12px ui-monospace,monospace}pre{background:#f5f5f7;padding:.75rem;overflow:auto}.muted{color:#6e6e73}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem;width:220px}
.metric{font-weight:600}.mean{font-size:1.6rem}.hist rect{fill:#4a7bd0}.hist text{font-size:8px;fill:#888}
table{border-collapse:collapse}td,th{border:1px solid #e3e3e3;padding:.25rem .45rem;vertical-align:top;text-align:left}
.cases th{cursor:pointer;background:#fafafa}.undet{color:#a05a00;font-style:italic}.err{color:#b00020}
.case{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.5rem}.case summary{cursor:pointer}
.chunk{white-space:pre-wrap;background:#fafafa;border-left:3px solid #ccc;padding:.3rem .5rem;margin:.2rem 0 .5rem;font-size:13px}
mark{background:#ffe58a}.v-supported{background:#c8efc8}.v-contradicted{background:#f6b8b8}.v-unsupported{background:#f3f3f3}
.grid th.claim{max-width:420px;font-weight:normal}.pill{padding:0 .4rem;border-radius:4px}.tag{font-weight:600}.judge{background:#f5f5f7;padding:.5rem}`;

// Sorts the per-question table by a clicked column (numbers by data-v, else text); a second click reverses.
const SORT_JS = `document.querySelectorAll('#cases th').forEach(function(th){th.addEventListener('click',function(){
var col=+th.dataset.col,tb=document.querySelector('#cases tbody'),rows=Array.from(tb.rows),dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
rows.sort(function(a,b){var x=a.cells[col],y=b.cells[col],vx=x.dataset.v,vy=y.dataset.v;
if(vx!==undefined&&vy!==undefined){if(vx==='')return 1;if(vy==='')return -1;return dir*(+vx-+vy);}
return dir*x.textContent.localeCompare(y.textContent);});rows.forEach(function(r){tb.appendChild(r);});});});`;
