/**
 * Reads hallucination-detection data: FaithBench rows as published (source, summary, model,
 * worst_label — Consistent and Benign are faithful, Questionable and Unwanted hallucinated) and
 * generic rows ({context|source, answer|summary, label}). A boolean or 0/1 `label` means
 * "hallucinated"; string labels are named ("hallucinated", "faithful", "Unwanted", …).
 * Malformed lines are reported with their line numbers and skipped, or fail under strict.
 */
import fs from 'node:fs';
import { PlumbError } from '../../core/errors.ts';

export interface HallucinationRow {
  /** 1-based line in the file. */
  line: number;
  context: string;
  answer: string;
  /** True when the answer is hallucinated (the positive class). */
  hallucinated: boolean;
  /** The label as written, e.g. "Unwanted". */
  label: string;
  model?: string;
}

export interface HallucinationData {
  rows: HallucinationRow[];
  problems: Array<{ line: number; message: string }>;
}

const HALLUCINATED = new Set(['hallucinated', 'hallucination', 'unfaithful', 'unsupported', 'inconsistent', 'questionable', 'unwanted', 'contradicted', 'true', '1', 'yes']);
const FAITHFUL = new Set(['faithful', 'consistent', 'benign', 'supported', 'correct', 'false', '0', 'no']);

export interface ReadOptions {
  /** Throw on the first malformed line instead of skipping it. */
  strict?: boolean;
  /** Read at most this many valid rows. */
  limit?: number;
}

/** Reads and validates a hallucination JSONL file. */
export function readHallucinationFile(file: string, options: ReadOptions = {}): HallucinationData {
  if (!fs.existsSync(file)) throw new PlumbError('bad_request', `no such file: ${file}`, { hint: 'pass a JSONL file of {context, answer, label} rows, e.g. ../shared/datasets/faithbench/dev.jsonl' });
  return parseHallucinationJsonl(fs.readFileSync(file, 'utf8'), options);
}

/** Parses hallucination JSONL text (see readHallucinationFile). */
export function parseHallucinationJsonl(text: string, options: ReadOptions = {}): HallucinationData {
  const rows: HallucinationRow[] = [];
  const problems: Array<{ line: number; message: string }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (options.limit !== undefined && rows.length >= options.limit) break;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const line = i + 1;
    const result = parseRow(raw, line);
    if (typeof result === 'string') {
      if (options.strict) throw new PlumbError('bad_request', `line ${line}: ${result}`, { hint: 'fix the line, or drop --strict to skip malformed lines', details: { line } });
      problems.push({ line, message: result });
    } else {
      rows.push(result);
    }
  }
  if (rows.length === 0) {
    const first = problems[0];
    throw new PlumbError('bad_request', `no usable rows${first ? ` (line ${first.line}: ${first.message})` : ': the file is empty'}`, {
      hint: 'each line must be a JSON object with context (or source), answer (or summary) and label (or worst_label)',
    });
  }
  return { rows, problems };
}

function parseRow(raw: string, line: number): HallucinationRow | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const row = value as Record<string, unknown>;
  const context = row.context ?? row.source;
  const answer = row.answer ?? row.summary;
  if (typeof context !== 'string' || context.trim() === '') return 'missing "context" (or "source") text';
  if (typeof answer !== 'string') return 'missing "answer" (or "summary") text';
  // FaithBench's worst_label: one annotator flagging a hallucination is enough.
  const rawLabel = row.worst_label ?? row.label ?? row.hallucinated;
  const hallucinated = labelValue(rawLabel);
  if (hallucinated === null) return `label ${JSON.stringify(rawLabel ?? null)} is not one of hallucinated/faithful, true/false, 1/0, or FaithBench's Consistent/Benign/Questionable/Unwanted`;
  return {
    line,
    context,
    answer,
    hallucinated,
    label: String(rawLabel),
    ...(typeof row.model === 'string' ? { model: row.model } : {}),
  };
}

function labelValue(label: unknown): boolean | null {
  if (typeof label === 'boolean') return label;
  if (label === 1 || label === 0) return label === 1;
  if (typeof label !== 'string') return null;
  const key = label.trim().toLowerCase();
  if (HALLUCINATED.has(key)) return true;
  if (FAITHFUL.has(key)) return false;
  return null;
}
