/** What loading a file or posted text yields: documents, or a reason it was skipped. */
import type { DocumentInput } from '../../core/document.ts';

/** Why an input produced no documents. Every skip is reported, never thrown, so a batch goes on. */
export type SkipReason =
  | 'unsupported_type'
  | 'binary'
  | 'invalid_utf8'
  | 'empty'
  | 'too_large'
  | 'malformed'
  | 'missing'
  | 'unreadable'
  | 'ignored';

export type LoadResult =
  | { ok: true; documents: DocumentInput[]; warnings: string[] }
  | { ok: false; reason: SkipReason; message: string };

/** Which record fields the JSON/JSONL loader reads; each is tried in order. */
export interface RecordFieldOptions {
  /** Default: text, content, body. */
  textField?: string | string[];
  /** Default: _id, id. */
  idField?: string | string[];
  /** Default: title. */
  titleField?: string | string[];
}

export interface LoadOptions {
  /** Files (and posted texts) above this many bytes are skipped as too_large. Default 20 MB. */
  maxFileBytes?: number;
  records?: RecordFieldOptions;
}

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A skipped result. */
export function skipped(reason: SkipReason, message: string): LoadResult {
  return { ok: false, reason, message };
}

/** Human-readable byte size for messages ("20.0 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
