/** Stable ids for documents and chunks, so re-ingest and citations refer to the same things. */
import path from 'node:path';
import { sha256 } from '../../core/hash.ts';

/** A document id: the caller's id when given, else derived from the absolute source path or URI. */
export function documentIdFor(input: { id?: string; source: string }): string {
  if (input.id !== undefined && input.id !== '') return input.id;
  const source = /^[a-z][a-z0-9+.-]*:/i.test(input.source) ? input.source : path.resolve(input.source);
  return `doc_${sha256(source).slice(0, 16)}`;
}

/** Content-addressed chunk id: unchanged text at the same position keeps its id across versions. */
export function chunkIdFor(documentId: string, ordinal: number, text: string): string {
  return `chk_${sha256(`${documentId}\u0000${ordinal}\u0000${text}`).slice(0, 20)}`;
}
