/**
 * `plumb eval import beir|squad …`: turns public dataset formats into a golden set (JSONL), with
 * every row that could not be used reported rather than dropped silently.
 */
import type { Command } from 'commander';
import { PlumbError } from '../../core/errors.ts';
import type { ImportProblem } from '../../evals/datasets/index.ts';
import type { GoldenCase } from '../../evals/types.ts';
import { emit, type GlobalOptions } from '../output.ts';

export function registerImportCommand(evalCommand: Command, globals: () => GlobalOptions): void {
  const importCommand = evalCommand.command('import').description('convert a BEIR or SQuAD-style dataset into a golden set (JSONL)');

  importCommand
    .command('beir')
    .description('BEIR queries + qrels (+ corpus, to check document ids) → golden set')
    .requiredOption('--queries <file>', 'queries.jsonl')
    .requiredOption('--qrels <file>', 'qrels.tsv (query-id, corpus-id, score)')
    .option('--corpus <file>', 'corpus.jsonl: report qrels that name unknown documents')
    .requiredOption('--out <file>', 'golden set to write')
    .option('--strict', 'stop at the first problem')
    .action(async (flags: { queries: string; qrels: string; corpus?: string; out: string; strict?: boolean }) => {
      const { importBeir } = await datasets();
      const result = await importBeir({ queries: flags.queries, qrels: flags.qrels, ...(flags.corpus ? { corpus: flags.corpus } : {}), strict: flags.strict === true });
      await finish(globals(), flags.out, result.cases, result.problems);
    });

  importCommand
    .command('squad')
    .description('SQuAD-style rows (question, answer, doc_id, answer_start) + corpus, or a SQuAD JSON file → golden set')
    .option('--golden <file>', 'JSONL of {id, question, answer, doc_id, answer_start} (e.g. COVID-QA)')
    .option('--corpus <file>', 'JSONL of {id, text}: the documents answer_start points into')
    .option('--squad-json <file>', 'or: a SQuAD v1/v2 JSON file (data[].paragraphs[].qas[])')
    .requiredOption('--out <file>', 'golden set to write')
    .option('--strict', 'stop at the first problem')
    .action(async (flags: { golden?: string; corpus?: string; squadJson?: string; out: string; strict?: boolean }) => {
      const { importSquadJson, importSquadStyle } = await datasets();
      if (flags.squadJson) {
        const result = importSquadJson(flags.squadJson);
        return finish(globals(), flags.out, result.cases, result.problems);
      }
      if (!flags.golden || !flags.corpus) {
        throw new PlumbError('bad_request', 'give --golden and --corpus, or --squad-json', { hint: 'plumb eval import squad --golden golden.jsonl --corpus corpus.jsonl --out golden-set.jsonl' });
      }
      const result = await importSquadStyle({ golden: flags.golden, corpus: flags.corpus, strict: flags.strict === true });
      await finish(globals(), flags.out, result.cases, result.problems);
    });
}

/** The importers, loaded when an import runs rather than with the CLI. */
function datasets() {
  return import('../../evals/datasets/index.ts');
}

async function finish(g: GlobalOptions, out: string, cases: GoldenCase[], problems: ImportProblem[]): Promise<void> {
  (await datasets()).writeGoldenSet(out, cases);
  emit(g, { out, cases: cases.length, problems }, () => {
    const lines = [`wrote ${cases.length} cases to ${out}`];
    if (problems.length) {
      lines.push(`${problems.length} problem(s):`);
      for (const p of problems.slice(0, 10)) lines.push(`  ${p.kind}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`);
      if (problems.length > 10) lines.push(`  … and ${problems.length - 10} more (--json lists them all)`);
    }
    lines.push(`next: plumb eval run --golden ${out}`);
    return lines.join('\n');
  });
}
