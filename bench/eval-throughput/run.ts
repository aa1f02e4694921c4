/**
 * Eval throughput on this machine: golden cases per second through plumb's eval runner.
 *   npx tsx bench/eval-throughput/run.ts [--limit N]
 * COVID-QA (1,380 questions over 98 articles, offline stack). Three configurations, each a full
 * runEval with every case stored:
 *   - retrieval + judge: live retrieval and extractive answer, retrieval metrics and the offline
 *     heuristic judge (faithfulness with its claim × chunk grid, citation accuracy) — the goal's
 *     configuration (≥ 50 cases/s);
 *   - all metrics, live: the above plus every answer metric (token F1, SIF similarity, …);
 *   - all metrics, recorded: the same outputs scored again without calling the pipeline.
 * Writes bench/eval-throughput/results.json and RESULTS.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOfflineJudge } from '../../src/evals/judges/offline/index.ts';
import { runEval, type RunEvalOptions } from '../../src/evals/runner/run-eval.ts';
import type { SystemOutput } from '../../src/evals/types.ts';
import { limitArg, openCovidQa } from '../covidqa/covidqa-setup.ts';
import { machineInfo, machineLine } from '../machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const limit = limitArg(process.argv);
const qa = await openCovidQa(limit);
const { plumb, golden } = qa;
const judge = createOfflineJudge();
const n = golden.cases.length;

interface Row { name: string; cases: number; seconds: number; casesPerSecond: number; scoringMsP50: number | null }
const rows: Row[] = [];
let lastOutputs = new Map<string, SystemOutput>();

async function measure(name: string, extra: Partial<RunEvalOptions>): Promise<void> {
  const started = performance.now();
  const { results, summary } = await runEval({ plumb, golden, judge, name, ...extra });
  const seconds = (performance.now() - started) / 1000;
  lastOutputs = new Map(results.map((r) => [r.caseId, r.output]));
  const scoring = (summary.performance as { scoringMs?: { p50: number } }).scoringMs;
  const row = { name, cases: n, seconds, casesPerSecond: n / seconds, scoringMsP50: scoring?.p50 ?? null };
  rows.push(row);
  console.log(`${name.padEnd(28)} ${n} cases in ${seconds.toFixed(2)} s = ${row.casesPerSecond.toFixed(1)} cases/s (scoring p50 ${row.scoringMsP50 ?? '—'} ms)`);
}

// A short warm-up run so the first configuration does not pay for loading models and caches.
await runEval({ plumb, golden: { ...golden, cases: golden.cases.slice(0, 20) }, judge, name: 'warm-up' });
await measure('retrieval + judge (live)', { answerMetrics: [] });
await measure('all metrics (live)', {});
await measure('all metrics (recorded)', { recordedOutputs: lastOutputs });

const machine = machineInfo();
const command = `npx tsx bench/eval-throughput/run.ts${limit ? ` --limit ${limit}` : ''}`;
fs.writeFileSync(path.join(here, 'results.json'), `${JSON.stringify({ command, machine, dataset: { name: golden.name, cases: n, chunks: qa.chunks }, concurrency: 4, rows }, null, 2)}\n`);
const goal = rows[0]!.casesPerSecond >= 50 ? 'met' : 'not met';
fs.writeFileSync(
  path.join(here, 'RESULTS.md'),
  [
    '# Eval throughput',
    '',
    `\`${command}\` · ${machineLine(machine)}`,
    '',
    `COVID-QA, ${n} golden cases over ${qa.chunks} chunks, offline stack (hybrid retrieval, extractive answerer, offline heuristic judge ${judge.version}), runEval with concurrency 4 and every case stored in SQLite as it is scored. Goal: ≥ 50 cases/s for retrieval + the offline judge — **${goal}**.`,
    '',
    '| configuration | cases | seconds | cases/s | scoring p50 (ms/case) |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.cases} | ${r.seconds.toFixed(2)} | ${r.casesPerSecond.toFixed(1)} | ${r.scoringMsP50 ?? '—'} |`),
    '',
    '"retrieval + judge" scores retrieval metrics, faithfulness (claims × chunks grid) and citation accuracy; "all metrics" adds exact match, token F1, SIF semantic similarity, answer relevance, context precision/recall and abstention. "recorded" scores the outputs of the live run again without retrieval or answering. One Node process: the work is CPU-bound on one core, so concurrency only overlaps the store writes.',
    '',
  ].join('\n'),
);
console.log(fs.readFileSync(path.join(here, 'RESULTS.md'), 'utf8'));
await qa.close();
