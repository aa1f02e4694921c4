/**
 * Labelled rows for calibration, from JSONL in either of two shapes: FaithBench's
 * `{source, summary, worst_label}` (Consistent and Benign are faithful, Questionable and Unwanted
 * hallucinated — the worst label any annotator gave) or the generic `{context, answer, label}`
 * (label true/1/"hallucinated" or false/0/"faithful", or a FaithBench label). A line that fits
 * neither is reported with its number and skipped, or fails the read under `strict`.
 */
import fs from 'node:fs';
import { PlumbError } from '../../core/errors.ts';
import type { LabelledRow } from './calibrate-judge.ts';

export interface LabelledRows {
  rows: LabelledRow[];
  problems: Array<{ line: number; message: string }>;
}

const FAITHBENCH_LABELS: Record<string, boolean> = { consistent: false, benign: false, questionable: true, unwanted: true };
const GENERIC_LABELS: Record<string, boolean> = { ...FAITHBENCH_LABELS, hallucinated: true, faithful: false, true: true, false: false, '1': true, '0': false };

/** Reads labelled rows from a JSONL file (at most `limit` rows). */
export function readLabelledRows(filePath: string, options: { limit?: number; strict?: boolean } = {}): LabelledRows {
  if (!fs.existsSync(filePath)) throw new PlumbError('not_found', `no such file: ${filePath}`, { hint: 'pass a JSONL file of {context, answer, label} or FaithBench {source, summary, worst_label} rows' });
  const rows: LabelledRow[] = [];
  const problems: LabelledRows['problems'] = [];
  const lines = fs.readFileSync(filePath, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, text] of lines.entries()) {
    if (options.limit !== undefined && rows.length >= options.limit) break;
    if (text.trim() === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      problems.push({ line, message: `not valid JSON (${err instanceof Error ? err.message : String(err)})` });
      continue;
    }
    const parsed = parseLabelledRow(value);
    if ('row' in parsed) rows.push(parsed.row);
    else problems.push({ line, message: parsed.problem });
  }
  if (options.strict && problems.length > 0) {
    const first = problems[0]!;
    throw new PlumbError('bad_request', `${filePath} line ${first.line}: ${first.message} (${problems.length} bad line${problems.length > 1 ? 's' : ''})`, { hint: 'fix the lines, or drop --strict to skip them' });
  }
  return { rows, problems };
}

/** One JSON value → a labelled row, or what is wrong with it. */
export function parseLabelledRow(value: unknown): { row: LabelledRow } | { problem: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'not a JSON object' };
  const v = value as Record<string, unknown>;
  const faithBench = 'worst_label' in v || 'summary' in v;
  const context = faithBench ? v['source'] : v['context'];
  const answer = faithBench ? v['summary'] : v['answer'];
  const rawLabel = faithBench ? v['worst_label'] : v['label'];
  const names = faithBench ? ['source', 'summary', 'worst_label'] : ['context', 'answer', 'label'];
  if (typeof context !== 'string' || context.trim() === '') return { problem: `missing or empty "${names[0]}"` };
  if (typeof answer !== 'string') return { problem: `missing "${names[1]}"` };
  const table = faithBench ? FAITHBENCH_LABELS : GENERIC_LABELS;
  const label = typeof rawLabel === 'boolean' || typeof rawLabel === 'number' || typeof rawLabel === 'string' ? table[String(rawLabel).trim().toLowerCase()] : undefined;
  if (label === undefined) {
    return { problem: `"${names[2]}" must be ${faithBench ? 'Consistent, Benign, Questionable or Unwanted' : 'true/false, 1/0, hallucinated/faithful or a FaithBench label'}, got ${JSON.stringify(rawLabel)}` };
  }
  return { row: { context, answer, label } };
}
