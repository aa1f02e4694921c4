/**
 * `plumb eval calibrate`: runs a judge over human-labelled (context, answer, hallucinated?) rows,
 * prints how well it agrees with the labels, and stores that calibration under the judge's
 * version so reports can show it next to the judge's scores.
 */
import type { Command } from 'commander';
import { PlumbError } from '../../core/errors.ts';
import type { JudgeCalibration, LabelledRow } from '../../evals/calibration/index.ts';
import { readHallucinationFile } from '../../evals/hallucination/read-hallucination-rows.ts';
import type { SupportJudge } from '../../evals/judges/judge.ts';
import type { LlmJudge } from '../../evals/judges/llm/index.ts';
import type { Plumb } from '../../plumb.ts';
import { ProgressBar } from '../../rag/ingest/progress-bar.ts';
import { withPlumb } from '../open-plumb.ts';
import { emit, intOption, type GlobalOptions } from '../output.ts';

interface CalibrateFlags {
  data: string;
  judge: 'offline' | 'llm';
  samples?: number;
  limit?: number;
  concurrency: number;
  strict?: boolean;
}

/** Adds `calibrate` to the `plumb eval` command. */
export function registerCalibrateCommand(evalCommand: Command, globals: () => GlobalOptions): void {
  evalCommand
    .command('calibrate')
    .description("measure a judge against human hallucination labels and store the calibration with the judge's version")
    .requiredOption('--data <file>', 'labels.jsonl: {context, answer, label} or FaithBench {source, summary, worst_label} rows')
    .option('--judge <judge>', 'offline (heuristic, no LLM) or llm (the configured answer model)', judgeOption, 'offline')
    .option('--samples <n>', 'LLM judge: samples per judgement, majority wins', intOption('samples', 1, 15))
    .option('--limit <n>', 'judge only the first N rows', intOption('limit', 1, 10_000_000))
    .option('--concurrency <n>', 'rows judged at once', intOption('concurrency', 1, 64), 4)
    .option('--strict', 'fail on a malformed line instead of skipping it')
    .action(async (flags: CalibrateFlags) => {
      const g = globals();
      if (flags.samples !== undefined && flags.judge !== 'llm') {
        throw new PlumbError('bad_request', '--samples applies to --judge llm only', { hint: 'the offline judge is deterministic: one sample is all it has' });
      }
      // One reader for labelled data, shared with `plumb eval hallucination`.
      const read = readHallucinationFile(flags.data, { ...(flags.limit !== undefined ? { limit: flags.limit } : {}), strict: flags.strict ?? false });
      const rows: LabelledRow[] = read.rows.map((r) => ({ context: r.context, answer: r.answer, label: r.hallucinated }));
      const { problems } = read;
      if (rows.length === 0) {
        throw new PlumbError('bad_request', `no labelled row could be read from ${flags.data}`, {
          hint: problems[0] ? `line ${problems[0].line}: ${problems[0].message}` : 'the file is empty',
        });
      }
      for (const p of problems.slice(0, 5)) process.stderr.write(`warning: ${flags.data} line ${p.line}: ${p.message} (skipped)\n`);
      if (problems.length > 5) process.stderr.write(`warning: ${problems.length - 5} more bad lines skipped\n`);

      const { calibrateJudge, describeCalibration, saveCalibration } = await import('../../evals/calibration/index.ts');
      await withPlumb(g, async (plumb) => {
        const tenantId = g.tenant ?? plumb.config.defaultTenant;
        const judge = await makeJudge(plumb, flags, tenantId);
        const bar = new ProgressBar({ label: 'calibrate', total: rows.length, unit: 'rows', enabled: !g.json });
        const calibration = await calibrateJudge({ judge, rows, concurrency: flags.concurrency, onRow: () => bar.tick() });
        bar.done();
        await saveCalibration(plumb.store, tenantId, calibration);
        const judgeStats = judge.kind === 'llm' ? (judge as LlmJudge).stats() : undefined;
        const out = { ...calibration, skippedLines: problems.length, tenant: tenantId, ...(judgeStats ? { judgeStats } : {}) };
        emit(g, out, () => render(calibration, problems.length, tenantId, judgeStats, describeCalibration(calibration)));
      });
    });
}

/** The judge to calibrate, loaded when the command runs (judges are large to load). */
async function makeJudge(plumb: Plumb, flags: CalibrateFlags, tenantId: string): Promise<SupportJudge> {
  if (flags.judge === 'offline') return (await import('../../evals/judges/offline/index.ts')).createOfflineJudge();
  const { createLlmJudge } = await import('../../evals/judges/llm/index.ts');
  // createLlmJudge refuses the offline extractive answerer with a hint to configure answer.provider.
  return createLlmJudge({
    model: plumb.chatModel,
    ...(flags.samples !== undefined ? { samples: flags.samples } : {}),
    cache: { store: plumb.store, tenantId },
  });
}

function judgeOption(raw: string): 'offline' | 'llm' {
  if (raw === 'offline' || raw === 'llm') return raw;
  throw new PlumbError('bad_request', `--judge must be offline or llm, got "${raw}"`);
}

function render(c: JudgeCalibration, skipped: number, tenantId: string, stats: ReturnType<LlmJudge['stats']> | undefined, stored: string): string {
  const f = (x: number | null) => (x === null ? 'undetermined' : x.toFixed(4));
  const { truePositive: tp, falsePositive: fp, trueNegative: tn, falseNegative: fn } = c.confusion;
  return [
    `${c.judgeName} (${c.judgeKind === 'heuristic' ? 'heuristic' : 'LLM'}) · ${c.n} rows judged${c.undetermined ? ` · ${c.undetermined} undetermined` : ''}${skipped ? ` · ${skipped} bad lines skipped` : ''}`,
    `balanced accuracy  ${f(c.balancedAccuracy)}`,
    `precision          ${f(c.precision)}`,
    `recall             ${f(c.recall)}`,
    `F1                 ${f(c.f1)}`,
    `Cohen's κ          ${f(c.kappa)}`,
    `confusion          TP ${tp} · FP ${fp} · TN ${tn} · FN ${fn}   (positive = hallucinated)`,
    ...c.reasons.map((r) => `note: ${r}`),
    ...(stats ? [`judge calls        ${stats.modelCalls} to the model, ${stats.cacheHits} from cache, ${stats.retries} retries`] : []),
    `stored for tenant ${tenantId}: ${stored}`,
  ].join('\n');
}
