/** One JSON record (from a .json or .jsonl file) as one document, with configurable field names. */
import type { DocumentInput } from '../../../core/document.ts';
import type { JsonObject } from '../../../core/json.ts';
import { normalizeNewlines } from '../decode-text.ts';
import type { RecordFieldOptions } from '../load-result.ts';

export interface RecordFields {
  text: string[];
  id: string[];
  title: string[];
}

/** Field names to try, in order: the caller's, else the BEIR-friendly defaults. */
export function resolveRecordFields(options: RecordFieldOptions = {}): RecordFields {
  const list = (value: string | string[] | undefined, fallback: string[]): string[] =>
    value === undefined ? fallback : Array.isArray(value) ? value : [value];
  return {
    text: list(options.textField, ['text', 'content', 'body']),
    id: list(options.idField, ['_id', 'id']),
    title: list(options.titleField, ['title']),
  };
}

export type RecordOutcome = { document: DocumentInput } | { problem: string };

/**
 * Converts one parsed record. `fileSource` is the file's source; `position` names the record
 * when it has no id (e.g. "line-12"). Other primitive fields become metadata.
 */
export function recordToDocument(value: unknown, fileSource: string, position: string, fields: RecordFields): RecordOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const textKey = fields.text.find((key) => typeof record[key] === 'string');
  if (textKey === undefined) return { problem: `no text field (looked for ${fields.text.join(', ')})` };
  const text = normalizeNewlines(record[textKey] as string);
  if (text.trim() === '') return { problem: `field "${textKey}" is empty` };

  const idKey = fields.id.find((key) => typeof record[key] === 'string' || typeof record[key] === 'number');
  const id = idKey === undefined ? undefined : String(record[idKey]);
  const titleKey = fields.title.find((key) => typeof record[key] === 'string');
  const title = titleKey === undefined ? undefined : (record[titleKey] as string).trim();

  const metadata: JsonObject = {};
  for (const [key, field] of Object.entries(record)) {
    if (key === textKey || key === idKey || key === titleKey) continue;
    if (field === null || typeof field === 'string' || typeof field === 'boolean') metadata[key] = field;
    else if (typeof field === 'number' && Number.isFinite(field)) metadata[key] = field;
  }

  const document: DocumentInput = {
    source: `${fileSource}#${id ?? position}`,
    text,
    mimeType: 'text/plain',
    metadata,
  };
  if (id !== undefined) document.id = id;
  if (title) document.title = title;
  return { document };
}
