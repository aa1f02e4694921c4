/**
 * `plumb eval hallucination --data F.jsonl`: hallucination detection with the offline support
 * judge over labelled (context, answer) rows — FaithBench's dev.jsonl as published, or generic
 * {context, answer, label} rows. Hallucinated is the positive class. The default detector is
 * the a-priori rule "any claim not supported"; --aggregator/--threshold apply a calibrated one.
 */
import type { Command } from 'commander';
import { PlumbError } from '../../core/errors.ts';
import type { Score } from '../../core/score.ts';
import { detectHallucinations, judgeRows } from '../../evals/hallucination/evaluate-detection.ts';
import { ANY_UNSUPPORTED_CLAIM, GRID_AGGREGATORS, type DetectorSettings, type GridAggregator } from '../../evals/hallucination/grid-score.ts';
import { readHallucinationFile } from '../../evals/hallucination/read-hallucination-rows.ts';
import { judgeLabel } from '../../evals/judges/judge.ts';
import { emit, intOption, type GlobalOptions } from '../output.ts';

interface HallucinationFlags {
  data: string;
  strict?: boolean;
  limit?: number;
  aggregator?: GridAggregator;
  threshold?: number;
}

/** Adds `plumb eval hallucination` to the `eval` command. */
export function registerHallucinationCommand(evalCommand: Command, globals: () => GlobalOptions): void {
  evalCommand
    .command('hallucination')
    .description('hallucination detection (balanced accuracy, precision, recall, F1) with the offline heuristic judge on labelled rows')
    .requiredOption('--data <file>', 'JSONL: FaithBench rows (source, summary, worst_label) or {context, answer, label}; label true/1 = hallucinated')
    .option('--strict', 'fail on the first malformed line instead of skipping it')
    .option('--limit <n>', 'use only the first n valid rows', intOption('limit', 1, 10_000_000))
    .option('--aggregator <name>', `how claim verdicts make an answer score: ${GRID_AGGREGATORS.join(', ')}`, aggregatorOption)
    .option('--threshold <x>', 'hallucinated when the answer score is above this', thresholdOption)
    .action(async (flags: HallucinationFlags) => {
      const g = globals();
      const data = readHallucinationFile(flags.data, { ...(flags.strict ? { strict: true } : {}), ...(flags.limit === undefined ? {} : { limit: flags.limit }) });
      const detector = detectorFrom(flags);
      // The judge's lexicons load with it, when a command needs it, not with the CLI.
      const { createOfflineJudge } = await import('../../evals/judges/offline/index.ts');
      const judge = createOfflineJudge();
      const started = performance.now();
      const judged = await judgeRows(data.rows, judge);
      const { report } = detectHallucinations(judged, detector);
      const runtimeMs = Math.round(performance.now() - started);
      const out = {
        balanced_accuracy: value(report.balancedAccuracy),
        precision: value(report.precision),
        recall: value(report.recall),
        f1: value(report.f1),
        n: report.n,
        kappa: value(report.kappa),
        accuracy: value(report.accuracy),
        confusion: { tp: report.confusion.truePositive, fp: report.confusion.falsePositive, tn: report.confusion.trueNegative, fn: report.confusion.falseNegative },
        positive_class: 'hallucinated',
        judge: judgeLabel(judge),
        detector,
        skipped_lines: data.problems.length,
        problems: data.problems.slice(0, 20),
        runtime_ms: runtimeMs,
      };
      emit(g, out, () =>
        [
          `${report.n} rows${data.problems.length > 0 ? ` (${data.problems.length} malformed lines skipped, first: line ${data.problems[0]!.line}: ${data.problems[0]!.message})` : ''} · judge ${judge.name} ${judge.version} (heuristic) · hallucinated = positive`,
          `detector           ${detector === ANY_UNSUPPORTED_CLAIM ? 'any claim not supported' : `${detector.aggregator} > ${detector.threshold}`}`,
          line('balanced accuracy', report.balancedAccuracy),
          line('precision', report.precision),
          line('recall', report.recall),
          line('F1', report.f1),
          line("Cohen's κ", report.kappa),
          `n                  ${report.n}`,
          `runtime            ${runtimeMs} ms`,
        ].join('\n'),
      );
    });
}

function detectorFrom(flags: HallucinationFlags): DetectorSettings {
  if (flags.aggregator === undefined && flags.threshold === undefined) return ANY_UNSUPPORTED_CLAIM;
  if (flags.threshold === undefined) throw new PlumbError('bad_request', '--aggregator needs --threshold', { hint: 'e.g. --aggregator mean-unsupportedness --threshold 0.42 (see bench/faithbench/RESULTS.md)' });
  return { aggregator: flags.aggregator ?? ANY_UNSUPPORTED_CLAIM.aggregator, threshold: flags.threshold };
}

function aggregatorOption(raw: string): GridAggregator {
  const found = GRID_AGGREGATORS.find((a) => a === raw);
  if (!found) throw new PlumbError('bad_request', `--aggregator must be one of ${GRID_AGGREGATORS.join(', ')}, got "${raw}"`);
  return found;
}

function thresholdOption(raw: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x)) throw new PlumbError('bad_request', `--threshold must be a number, got "${raw}"`);
  return x;
}

function value(score: Score): number | null {
  return score.value === null ? null : Math.round(score.value * 10000) / 10000;
}

function line(label: string, score: Score): string {
  return `${label.padEnd(18)} ${score.value === null ? `undetermined (${score.reason})` : score.value.toFixed(4)}`;
}
