/**
 * `plumb eval run | runs | report | compare | gate`: golden sets through the pipeline (or recorded
 * outputs), stored runs, reports (terminal, JSON, self-contained HTML), paired comparisons and
 * the CI regression gate, which exits non-zero only on a statistically significant regression.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { PlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import { readGoldenSet } from '../../evals/datasets/golden-jsonl.ts';
import { runGate, renderGate } from '../../evals/gate/gate.ts';
import { parseMaxDrop } from '../../evals/gate/max-drop.ts';
import type { SupportJudge } from '../../evals/judges/judge.ts';
import { compareRuns, renderComparison } from '../../evals/reports/compare.ts';
import { renderHtmlReport } from '../../evals/reports/html-report.ts';
import { compactExport, resolveRun, runExport, type RunExport } from '../../evals/reports/run-export.ts';
import { renderSummary } from '../../evals/reports/terminal-summary.ts';
import type { Plumb } from '../../plumb.ts';
import { ProgressBar } from '../../rag/ingest/progress-bar.ts';
import { withPlumb } from '../open-plumb.ts';
import { emit, intOption, modeOption, type GlobalOptions } from '../output.ts';

interface RunFlags {
  golden: string;
  name?: string;
  concurrency: number;
  outputs?: string;
  resume?: string;
  strict?: boolean;
  html?: string;
  k?: number;
  mode?: 'bm25' | 'vector' | 'hybrid';
  judge: string;
  tenant?: string;
}

/** Registers the run/report/compare/gate subcommands on the `eval` command. */
export function registerEvalRunCommands(evalCommand: Command, globals: () => GlobalOptions): void {
  const runOptions = (c: Command) =>
    c
      .option('--name <name>', 'run name (default: the golden file name)')
      .option('--concurrency <n>', 'cases in flight at once', intOption('concurrency', 1, 64), 4)
      .option('--outputs <file>', 'score recorded outputs (JSONL of {caseId, answer, contexts, …}) instead of calling the pipeline')
      .option('--resume <runId>', 'continue a stored run: finished cases are not re-run')
      .option('--strict', 'fail on the first malformed line instead of skipping it')
      .option('--k <n>', 'chunks to retrieve (default: retrieval.k)', intOption('k', 1, 100))
      .option('--mode <mode>', 'bm25, vector or hybrid (default: retrieval.mode)', modeOption)
      .option('--judge <kind>', 'support judge for faithfulness: offline (heuristic), llm (the configured answer model) or none', 'offline')
      .option('--tenant <id>', 'tenant whose documents are queried and where the run is stored');

  runOptions(evalCommand.command('run').description('run a golden set through the pipeline (or score recorded outputs) and store the run'))
    .requiredOption('--golden <file>', 'golden set JSONL')
    .option('--html <file>', 'also write a self-contained HTML report')
    .action(async (flags: RunFlags) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const { run, problems } = await evaluate(plumb, flags, g);
        if (flags.html) writeHtml(flags.html, run, await calibrationOf(plumb, tenantOf(plumb, flags, g), run));
        emit(g, run.summary, () => `${renderSummary(run.summary, { problems })}\n\nrun id ${run.summary.id}${flags.html ? `\nHTML report: ${flags.html}` : ''}`);
      });
    });

  evalCommand
    .command('runs')
    .description('list stored eval runs, newest first')
    .option('--limit <n>', 'how many', intOption('limit', 1, 10000), 20)
    .option('--tenant <id>', 'tenant')
    .action(async (flags: { limit: number; tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const rows = await plumb.store.listEvalRuns(tenantOf(plumb, flags, g), flags.limit);
        const runs = rows.map((r) => {
          const s = r.summary as { goldenSet?: { name?: string; contentHash?: string; cases?: number } };
          return { id: r.id, name: r.name, createdAt: r.createdAt, status: r.status, goldenSet: s.goldenSet ?? null };
        });
        emit(g, { runs }, () =>
          runs.length === 0
            ? 'no eval runs yet; start one with `plumb eval run --golden G.jsonl`'
            : runs.map((r) => `${r.id}  ${r.createdAt.slice(0, 19)}  ${r.status.padEnd(9)}  ${r.name}  (${r.goldenSet?.cases ?? '?'} cases, ${String(r.goldenSet?.contentHash ?? '').slice(0, 12)})`).join('\n'),
        );
      });
    });

  evalCommand
    .command('report')
    .description('show a stored run (or an exported run file); --json exports it, e.g. as a committed gate baseline')
    .argument('<run>', 'run id, run name (newest of that name) or exported JSON file')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--compact', 'with --json: leave out retrieved chunks and score evidence (a small file to commit as a gate baseline)')
    .option('--tenant <id>', 'tenant')
    .action(async (ref: string, flags: { html?: string; compact?: boolean; tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const run = await resolveRun(plumb.store, tenantOf(plumb, flags, g), ref);
        if (flags.html) writeHtml(flags.html, run, await calibrationOf(plumb, tenantOf(plumb, flags, g), run));
        emit(g, flags.compact ? compactExport(run) : run, () => `${renderSummary(run.summary)}${flags.html ? `\nHTML report: ${flags.html}` : ''}`);
      });
    });

  evalCommand
    .command('compare')
    .description('paired differences per metric (B − A) with bootstrap CIs, and the questions that got worse')
    .argument('<a>', 'run id, name or exported JSON file (the reference)')
    .argument('<b>', 'run id, name or exported JSON file (the new run)')
    .option('--tenant <id>', 'tenant')
    .action(async (a: string, b: string, flags: { tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const tenantId = tenantOf(plumb, flags, g);
        const comparison = compareRuns(await resolveRun(plumb.store, tenantId, a), await resolveRun(plumb.store, tenantId, b));
        emit(g, comparison, () => renderComparison(comparison));
      });
    });

  runOptions(evalCommand.command('gate').description('fail (exit 1) only on a statistically significant regression against a baseline'))
    .requiredOption('--baseline <runOrFile>', 'baseline run id, name, or exported JSON file (`plumb eval report RUN --json`)')
    .requiredOption('--max-drop <spec>', 'largest tolerated drop per metric, e.g. ndcg@10=0.01,faithfulness=0.02')
    .option('--run <runOrFile>', 'the run to gate (a stored run or exported file)')
    .option('--golden <file>', 'or: run this golden set now and gate the new run')
    .option('--html <file>', 'also write the HTML report of the gated run')
    .action(async (flags: RunFlags & { baseline: string; maxDrop: string; run?: string; golden?: string }) => {
      const g = globals();
      const maxDrop = parseMaxDrop(flags.maxDrop);
      if ((flags.run === undefined) === (flags.golden === undefined)) throw new PlumbError('bad_request', 'give exactly one of --run or --golden', { hint: '--run gates a stored run; --golden runs the golden set now' });
      await withPlumb(g, async (plumb) => {
        const tenantId = tenantOf(plumb, flags, g);
        const baseline = await resolveRun(plumb.store, tenantId, flags.baseline);
        const current = flags.run !== undefined ? await resolveRun(plumb.store, tenantId, flags.run) : (await evaluate(plumb, { ...flags, golden: flags.golden! }, g)).run;
        if (flags.html) writeHtml(flags.html, current, await calibrationOf(plumb, tenantId, current));
        const result = runGate(baseline, current, maxDrop);
        emit(g, result, () => renderGate(result));
        if (!result.passed) process.exitCode = 1;
      });
    });
}

/** Runs the golden set (live or recorded) with a progress bar; returns the exported run. */
async function evaluate(plumb: Plumb, flags: RunFlags, g: GlobalOptions): Promise<{ run: RunExport; problems: number }> {
  const golden = readGoldenSet(flags.golden, { strict: flags.strict === true });
  for (const p of golden.problems.slice(0, 10)) process.stderr.write(`warning: ${flags.golden}:${p.line}: ${p.message} (skipped)\n`);
  if (golden.problems.length > 10) process.stderr.write(`warning: … and ${golden.problems.length - 10} more bad lines\n`);
  // The runner and the judges load when a run starts, not with the CLI.
  const [{ runEval }, { readRecordedOutputs }] = await Promise.all([import('../../evals/runner/run-eval.ts'), import('../../evals/runner/recorded-outputs.ts')]);
  const recorded = flags.outputs ? readRecordedOutputs(flags.outputs, { strict: flags.strict === true }) : null;
  for (const p of recorded?.problems.slice(0, 10) ?? []) process.stderr.write(`warning: ${flags.outputs}:${p.line}: ${p.message} (skipped)\n`);
  const bar = new ProgressBar({ label: 'eval', total: golden.cases.length, unit: 'cases', enabled: !g.json });
  const result = await runEval({
    plumb,
    golden,
    tenantId: tenantOf(plumb, flags, g),
    concurrency: flags.concurrency,
    judge: await judgeOf(flags.judge, plumb, tenantOf(plumb, flags, g)),
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.resume ? { resumeRunId: flags.resume } : {}),
    ...(recorded ? { recordedOutputs: recorded.outputs } : {}),
    ...(flags.k !== undefined ? { k: flags.k } : {}),
    ...(flags.mode ? { mode: flags.mode } : {}),
    onProgress: (done) => bar.set(done),
  });
  bar.done();
  return { run: runExport(result.summary, result.results), problems: golden.problems.length };
}

/** The support judge for faithfulness: offline heuristics, the configured LLM (cached in the store), or none. */
async function judgeOf(kind: string, plumb: Plumb, tenantId: string): Promise<SupportJudge | null> {
  if (kind === 'offline') return (await import('../../evals/judges/offline/index.ts')).createOfflineJudge();
  if (kind === 'none') return null;
  if (kind === 'llm') return (await import('../../evals/judges/llm/index.ts')).createLlmJudge({ model: plumb.chatModel, cache: { store: plumb.store, tenantId } });
  throw new PlumbError('bad_request', `--judge must be offline, llm or none, got "${kind}"`, { hint: 'llm uses the configured answer model (answer.provider)' });
}

function tenantOf(plumb: Plumb, flags: { tenant?: string }, g: GlobalOptions): string {
  return flags.tenant ?? g.tenant ?? plumb.config.defaultTenant;
}

async function calibrationOf(plumb: Plumb, tenantId: string, run: RunExport): Promise<JsonObject | null> {
  const version = (run.summary.config as { judge?: { version?: string } | null }).judge?.version;
  return version ? plumb.store.getJudgeCalibration(tenantId, version) : null;
}

function writeHtml(file: string, run: RunExport, calibration: JsonObject | null): void {
  fs.writeFileSync(file, renderHtmlReport(run, { calibration }));
}
