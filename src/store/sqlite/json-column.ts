/** JSON stored in TEXT columns: metadata, heading paths, spans, reports. */
import { PlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';

/** Parses a JSON column, naming the column when the stored text is damaged. */
export function parseJsonColumn<T>(text: string, column: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new PlumbError('internal', `The stored ${column} is not valid JSON.`, {
      hint: 'The database row is damaged: delete it (or the document) and write it again.',
      cause: err,
    });
  }
}

/** Parses a JSON object column. */
export function parseJsonObject(text: string, column: string): JsonObject {
  return parseJsonColumn<JsonObject>(text, column);
}
