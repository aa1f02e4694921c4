/**
 * Recorded outputs (`plumb eval run --outputs recorded.jsonl`): one SystemOutput per line, keyed
 * by caseId, so answers produced elsewhere (another system, an earlier run) are scored without
 * calling any model. Bad lines are reported with their numbers, like golden sets.
 */
import fs from 'node:fs';
import { PlumbError } from '../../core/errors.ts';
import type { EvalContext, SystemOutput } from '../types.ts';

export interface RecordedOutputs {
  outputs: Map<string, SystemOutput>;
  problems: Array<{ line: number; message: string }>;
}

/** Reads a JSONL file of SystemOutput rows; with `strict`, the first bad line is an error. */
export function readRecordedOutputs(filePath: string, options: { strict?: boolean } = {}): RecordedOutputs {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (cause) {
    throw new PlumbError('bad_request', `cannot read recorded outputs ${filePath}`, { hint: 'pass a JSONL file with one {"caseId","answer","contexts"} object per line', cause });
  }
  const outputs = new Map<string, SystemOutput>();
  const problems: RecordedOutputs['problems'] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const problem = (message: string) => {
      if (options.strict) throw new PlumbError('bad_request', `${filePath}:${index + 1}: ${message}`, { hint: 'fix the line, or run without --strict to skip bad lines' });
      problems.push({ line: index + 1, message });
    };
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return problem('not valid JSON');
    }
    const parsed = parseOutput(row);
    if (typeof parsed === 'string') return problem(parsed);
    if (outputs.has(parsed.caseId)) return problem(`duplicate caseId "${parsed.caseId}"`);
    outputs.set(parsed.caseId, parsed);
  });
  if (outputs.size === 0) throw new PlumbError('bad_request', `no usable recorded outputs in ${filePath}`, { details: { problems: problems.slice(0, 5) } });
  return { outputs, problems };
}

/** A SystemOutput, or the reason the row is not one. */
export function parseOutput(row: unknown): SystemOutput | string {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'not a JSON object';
  const r = row as Record<string, unknown>;
  const caseId = r.caseId ?? r.id;
  if (typeof caseId !== 'string' && typeof caseId !== 'number') return 'missing "caseId"';
  if (typeof r.answer !== 'string') return 'missing "answer" (a string)';
  const contexts: EvalContext[] = [];
  const rawContexts = r.contexts ?? [];
  if (!Array.isArray(rawContexts)) return '"contexts" must be an array';
  for (const [i, c] of rawContexts.entries()) {
    // A bare string is a context without ids: it still counts for faithfulness.
    if (typeof c === 'string') contexts.push({ chunkId: `ctx${i + 1}`, documentId: `ctx${i + 1}`, text: c });
    else if (typeof c === 'object' && c !== null && typeof (c as { text?: unknown }).text === 'string') {
      const o = c as { chunkId?: unknown; documentId?: unknown; text: string; score?: unknown };
      const chunkId = typeof o.chunkId === 'string' ? o.chunkId : `ctx${i + 1}`;
      contexts.push({ chunkId, documentId: typeof o.documentId === 'string' ? o.documentId : chunkId, text: o.text, ...(typeof o.score === 'number' ? { score: o.score } : {}) });
    } else return `contexts[${i}] needs a "text"`;
  }
  const out: SystemOutput = { caseId: String(caseId), answer: r.answer, contexts };
  if (Array.isArray(r.citations)) out.citations = r.citations as NonNullable<SystemOutput['citations']>;
  if (typeof r.abstained === 'boolean') out.abstained = r.abstained;
  if (typeof r.usage === 'object' && r.usage !== null) out.usage = r.usage as NonNullable<SystemOutput['usage']>;
  if (typeof r.costUsd === 'number') out.costUsd = r.costUsd;
  if (typeof r.latencyMs === 'object' && r.latencyMs !== null) out.latencyMs = r.latencyMs as Record<string, number>;
  if (typeof r.error === 'string') out.error = r.error;
  return out;
}
