/**
 * Golden sets as JSONL, one case per line. Reading is forgiving by default and strict on request:
 * a bad line (invalid JSON, a missing or mistyped field, a duplicate id) is reported with its line
 * number and skipped, or — with `strict` — stops the read at the first one. Writing produces the
 * canonical form: camelCase fields in a fixed order, one case per line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PlumbError } from '../../core/errors.ts';
import type { GoldenCase, GoldenSet } from '../types.ts';
import { contentHashOf } from './golden-content-hash.ts';
import { parseGoldenCase } from './golden-case-schema.ts';

export interface ReadGoldenOptions {
  /** Throw at the first bad line instead of skipping it. */
  strict?: boolean;
  /** Name of the set; defaults to the file name without its extension. */
  name?: string;
}

/** Reads a golden-set JSONL file; bad lines become `problems` (or throw under `strict`). */
export function readGoldenSet(filePath: string, options: ReadGoldenOptions = {}): GoldenSet {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (cause) {
    throw new PlumbError('not_found', `Could not read the golden set ${filePath}.`, { hint: 'Check the path given to --golden.', cause });
  }
  const name = options.name ?? path.basename(filePath).replace(/\.jsonl?$/i, '');
  return parseGoldenJsonl(text, { source: filePath, name, ...(options.strict === undefined ? {} : { strict: options.strict }) });
}

/** Parses golden-set JSONL text; `source` names it in messages (a path, or e.g. "upload"). */
export function parseGoldenJsonl(text: string, options: { source: string; name: string; strict?: boolean }): GoldenSet {
  const cases: GoldenCase[] = [];
  const problems: GoldenSet['problems'] = [];
  const firstLineOfId = new Map<string, number>();
  const report = (line: number, message: string): void => {
    if (options.strict) {
      throw new PlumbError('bad_request', `${options.source}:${line}: ${message}`, {
        hint: 'Fix that line, or read without --strict to skip bad lines and see them all reported.',
        details: { line },
      });
    }
    problems.push({ line, message });
  };

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (cause) {
      report(line, `not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`);
      return;
    }
    const parsed = parseGoldenCase(json);
    if (!parsed.ok) {
      report(line, parsed.message);
      return;
    }
    const seenOn = firstLineOfId.get(parsed.value.id);
    if (seenOn !== undefined) {
      report(line, `duplicate id "${parsed.value.id}" (first used on line ${seenOn})`);
      return;
    }
    firstLineOfId.set(parsed.value.id, line);
    cases.push(parsed.value);
  });

  if (cases.length === 0) {
    const why = problems.length === 0 ? 'it has no cases' : `none of its ${problems.length} non-empty lines is a valid case (line ${problems[0]!.line}: ${problems[0]!.message})`;
    throw new PlumbError('bad_request', `The golden set ${options.source} is empty: ${why}.`, {
      hint: 'Each line needs at least {"id": "…", "question": "…"}; see `plumb eval generate` to build a set from a corpus.',
      details: { problems: problems.slice(0, 20) },
    });
  }
  return { name: options.name, contentHash: contentHashOf(cases), cases, problems };
}

/** Writes cases as canonical JSONL (validated first; written atomically). */
export function writeGoldenSet(filePath: string, cases: readonly GoldenCase[]): void {
  if (cases.length === 0) throw new PlumbError('bad_request', `Refusing to write an empty golden set to ${filePath}.`, { hint: 'A golden set needs at least one case.' });
  const seen = new Set<string>();
  const lines = cases.map((goldenCase, index) => {
    const parsed = parseGoldenCase(goldenCase);
    if (!parsed.ok) throw new PlumbError('bad_request', `Case ${index + 1} ("${String(goldenCase.id)}") is not valid: ${parsed.message}.`, { hint: 'Fix the case before writing the set.' });
    if (seen.has(parsed.value.id)) throw new PlumbError('bad_request', `Duplicate case id "${parsed.value.id}".`, { hint: 'Every case in a golden set needs its own id.' });
    seen.add(parsed.value.id);
    return JSON.stringify(canonicalCase(parsed.value));
  });
  const temporary = `${filePath}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  fs.writeFileSync(temporary, `${lines.join('\n')}\n`);
  fs.renameSync(temporary, filePath);
}

/** The fixed field order of a written case: identity first, labels next, bookkeeping last. */
function canonicalCase(c: GoldenCase): GoldenCase {
  const out: GoldenCase = { id: c.id, question: c.question };
  if (c.referenceAnswer !== undefined) out.referenceAnswer = c.referenceAnswer;
  if (c.relevantDocumentIds !== undefined) out.relevantDocumentIds = c.relevantDocumentIds;
  if (c.relevantChunkIds !== undefined) out.relevantChunkIds = c.relevantChunkIds;
  if (c.goldPassages !== undefined) out.goldPassages = c.goldPassages;
  if (c.unanswerable !== undefined) out.unanswerable = c.unanswerable;
  if (c.tags !== undefined) out.tags = c.tags;
  if (c.metadata !== undefined) out.metadata = c.metadata;
  return out;
}
