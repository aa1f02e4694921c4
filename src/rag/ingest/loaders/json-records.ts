/**
 * JSON and JSONL files of records: each record becomes one document. JSONL streams line by line,
 * and a bad line is a warning, not the end of the file. BEIR corpora ({_id, title, text}) load
 * with the default field names.
 */
import type { DocumentInput } from '../../../core/document.ts';
import { skipped, type LoadResult, type RecordFieldOptions } from '../load-result.ts';
import { NotTextError, readLines } from './read-lines.ts';
import { recordToDocument, resolveRecordFields } from './record-document.ts';
import { RecordWarnings } from './record-warnings.ts';

/** Documents from a JSONL file, one record per line; bad lines are skipped with their line numbers. */
export async function loadJsonl(filePath: string, source: string, options: RecordFieldOptions = {}): Promise<LoadResult> {
  const fields = resolveRecordFields(options);
  const warnings = new RecordWarnings();
  const documents: DocumentInput[] = [];
  const firstLineOfId = new Map<string, number>();
  let nonBlankLines = 0;
  try {
    for await (const { lineNumber, line } of readLines(filePath)) {
      if (line.trim() === '') continue;
      nonBlankLines++;
      const position = `line ${lineNumber}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        warnings.add(position, `invalid JSON (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      const outcome = recordToDocument(value, source, `line-${lineNumber}`, fields);
      if ('problem' in outcome) {
        warnings.add(position, outcome.problem);
        continue;
      }
      const id = outcome.document.id;
      if (id !== undefined) {
        const firstLine = firstLineOfId.get(id);
        if (firstLine !== undefined) {
          warnings.add(position, `duplicate id "${id}" (first seen on line ${firstLine})`);
          continue;
        }
        firstLineOfId.set(id, lineNumber);
      }
      documents.push(outcome.document);
    }
  } catch (err) {
    if (err instanceof NotTextError) return skipped(err.reason, err.message);
    throw err;
  }
  if (nonBlankLines === 0) return skipped('empty', 'file has no records (empty or whitespace only)');
  if (documents.length === 0) {
    return skipped('malformed', `none of the ${nonBlankLines} lines is a usable record: ${warnings.toList()[0] ?? ''}`);
  }
  return { ok: true, documents, warnings: warnings.toList() };
}

/** Documents from a JSON file holding one record or an array of records. */
export function loadJson(text: string, source: string, options: RecordFieldOptions = {}): LoadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return skipped('malformed', `invalid JSON (${reason}); fix the file or convert it to JSONL so one bad record does not stop the rest`);
  }
  const fields = resolveRecordFields(options);
  if (!Array.isArray(value)) {
    const outcome = recordToDocument(value, source, '', fields);
    if ('problem' in outcome) {
      return skipped('malformed', `JSON file is not a usable record or array of records: ${outcome.problem}`);
    }
    // A single record without an id is the file itself, not a fragment of it.
    if (outcome.document.id === undefined) outcome.document.source = source;
    return { ok: true, documents: [outcome.document], warnings: [] };
  }
  const warnings = new RecordWarnings();
  const documents: DocumentInput[] = [];
  const seenIds = new Set<string>();
  for (const [index, item] of value.entries()) {
    const outcome = recordToDocument(item, source, `item-${index}`, fields);
    if ('problem' in outcome) {
      warnings.add(`item ${index}`, outcome.problem);
      continue;
    }
    const id = outcome.document.id;
    if (id !== undefined && seenIds.has(id)) {
      warnings.add(`item ${index}`, `duplicate id "${id}"`);
      continue;
    }
    if (id !== undefined) seenIds.add(id);
    documents.push(outcome.document);
  }
  if (value.length === 0) return skipped('empty', 'JSON array has no records');
  if (documents.length === 0) {
    return skipped('malformed', `none of the ${value.length} array items is a usable record: ${warnings.toList()[0] ?? ''}`);
  }
  return { ok: true, documents, warnings: warnings.toList() };
}
