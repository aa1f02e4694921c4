/**
 * COVID-QA end to end with plumb's offline stack, through the eval runner:
 *   npx tsx bench/covidqa/run.ts [--limit N]
 * Gold-document Recall@5, answer token F1, faithfulness (offline heuristic judge) and per-stage
 * latency, each with a bootstrap 95% CI. Writes bench/covidqa/results.json and RESULTS.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOfflineJudge } from '../../src/evals/judges/offline/index.ts';
import { runEval } from '../../src/evals/runner/run-eval.ts';
import { bootstrapMeanCI } from '../../src/evals/stats/bootstrap.ts';
import { percentiles } from '../../src/evals/stats/percentiles.ts';
import type { Aggregate } from '../../src/evals/types.ts';
import { ProgressBar } from '../../src/rag/ingest/progress-bar.ts';
import { machineInfo, machineLine } from '../machine.ts';
import { limitArg, openCovidQa } from './covidqa-setup.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const limit = limitArg(process.argv);
const qa = await openCovidQa(limit);
const { plumb, golden } = qa;
console.log(`ingested ${qa.chunks} chunks in ${qa.ingestSeconds.toFixed(1)} s; ${golden.cases.length} questions (${qa.importProblems} import problems)`);

const judge = createOfflineJudge();
const bar = new ProgressBar({ label: 'covidqa', total: golden.cases.length, unit: 'cases' });
const started = performance.now();
const { runId, summary, results } = await runEval({ plumb, golden, judge, name: golden.name, onProgress: (d) => bar.set(d) });
bar.done();
const seconds = (performance.now() - started) / 1000;

const pick = (metric: string): Aggregate | null => summary.aggregates.find((a) => a.metric === metric) ?? null;
const metrics = ['recall@5', 'ndcg@10', 'mrr@10', 'hit@5', 'token_f1', 'exact_match', 'semantic_similarity', 'faithfulness', 'citation_accuracy', 'context_recall', 'abstention'].map(pick).filter((a): a is Aggregate => a !== null);
const stages: Record<string, { mean: number; ci95: [number, number]; p50: number; p95: number; p99: number; n: number }> = {};
for (const stage of ['retrieve', 'generate', 'total']) {
  const values = results.map((r) => r.output.latencyMs?.[stage]).filter((v): v is number => v !== undefined);
  const p = percentiles(values);
  if (!p) continue;
  const ci = bootstrapMeanCI(values, { seed: stage });
  stages[stage] = { mean: ci.mean, ci95: ci.ci95, p50: p.p50, p95: p.p95, p99: p.p99, n: p.n };
}
const machine = machineInfo();
const out = {
  command: `npx tsx bench/covidqa/run.ts${limit ? ` --limit ${limit}` : ''}`,
  machine,
  dataset: { cases: golden.cases.length, contentHash: golden.contentHash, chunks: qa.chunks, importProblems: qa.importProblems },
  config: summary.config,
  runId,
  wallSeconds: seconds,
  casesPerSecond: golden.cases.length / seconds,
  ingestSeconds: qa.ingestSeconds,
  aggregates: metrics,
  latencyMs: stages,
  performance: summary.performance,
};
fs.writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);

const f = (x: number | null) => (x === null ? '—' : x.toFixed(3));
const md = [
  '# COVID-QA end to end, offline stack',
  '',
  `\`${out.command}\` · ${machineLine(machine)}`,
  '',
  `${golden.cases.length} questions over ${qa.chunks} chunks of 98 articles (ingest ${qa.ingestSeconds.toFixed(1)} s). Hybrid retrieval (BM25 + offline SIF vectors), the extractive answerer, the offline **heuristic** judge (${judge.name} ${judge.version}). Whole run ${seconds.toFixed(1)} s (${out.casesPerSecond.toFixed(1)} cases/s, scoring included).`,
  '',
  'Relevance is the article the answer comes from (gold document); Recall@5 is over the top 5 distinct documents of the retrieved chunks. Token F1 compares the extractive answer with the reference span. Faithfulness is the share of answer claims a retrieved chunk supports, by the heuristic judge: the extractive answerer quotes retrieved sentences, so a value near 1 is the expected sanity check here, not evidence of the judge\'s accuracy (FaithBench measures that). Undetermined faithfulness = answers that abstained (no claims).',
  '',
  '| metric | mean | 95% CI | n | undetermined |',
  '|---|---|---|---|---|',
  ...metrics.map((a) => `| ${a.metric} | ${f(a.mean)} | ${a.ci95 ? `[${f(a.ci95[0])}, ${f(a.ci95[1])}]` : '—'} | ${a.n} | ${a.undetermined} |`),
  '',
  '| stage | mean ms | 95% CI of the mean | p50 | p95 | p99 |',
  '|---|---|---|---|---|---|',
  ...Object.entries(stages).map(([s, v]) => `| ${s} | ${v.mean.toFixed(2)} | [${v.ci95[0].toFixed(2)}, ${v.ci95[1].toFixed(2)}] | ${v.p50.toFixed(2)} | ${v.p95.toFixed(2)} | ${v.p99.toFixed(2)} |`),
  '',
  'Latency is measured inside one process running 4 cases at a time, so a stage can include waiting for the other cases; it is an upper bound on single-request latency on this machine.',
  '',
].join('\n');
fs.writeFileSync(path.join(here, 'RESULTS.md'), md);
console.log(md);
await qa.close();
