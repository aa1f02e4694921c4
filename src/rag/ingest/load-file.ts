/** Loads one file into documents. Bad input is a reported skip, never a thrown error, so a batch goes on. */
import { readFile, stat } from 'node:fs/promises';
import { decodeText } from './decode-text.ts';
import { DEFAULT_MAX_FILE_BYTES, formatBytes, skipped, type LoadOptions, type LoadResult } from './load-result.ts';
import { fileTypeOf, supportedExtensions, type FileType } from './loaders/file-types.ts';
import { loadJson, loadJsonl } from './loaders/json-records.ts';
import { loadPdf } from './loaders/pdf.ts';
import { textDocument } from './loaders/text-document.ts';

export interface LoadFileOptions extends LoadOptions {
  /** Recorded as the documents' source; default: the path as given. */
  source?: string;
}

/** Documents from the file at `filePath`, or the reason it was skipped. */
export async function loadFile(filePath: string, options: LoadFileOptions = {}): Promise<LoadResult> {
  const type = fileTypeOf(filePath);
  if (!type) {
    return skipped('unsupported_type', `no loader for this file type; supported: ${supportedExtensions().join(' ')}`);
  }
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) return skipped('unreadable', 'not a regular file');
    if (info.size > maxBytes) {
      return skipped('too_large', `file is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit; raise maxFileBytes or split the file`);
    }
    if (info.size === 0) return skipped('empty', 'file is empty');
    return await loadByType(filePath, type, options.source ?? filePath, options);
  } catch (err) {
    return fileErrorResult(err);
  }
}

async function loadByType(filePath: string, type: FileType, source: string, options: LoadOptions): Promise<LoadResult> {
  if (type.kind === 'jsonl') return loadJsonl(filePath, source, options.records);
  const bytes = await readFile(filePath);
  if (type.kind === 'pdf') return loadPdf(bytes, source);
  const decoded = decodeText(bytes);
  if (!decoded.ok) return skipped(decoded.reason, decoded.message);
  if (type.kind === 'json') return loadJson(decoded.text, source, options.records);
  try {
    const { document, warnings } = textDocument(type.kind, decoded.text, source);
    if (document.text.trim() === '') {
      return skipped('empty', type.kind === 'html' ? 'HTML page has no main text content' : 'file has no text besides front matter');
    }
    return { ok: true, documents: [document], warnings };
  } catch (err) {
    // A parser choking on odd input is that file's problem, not the batch's.
    return skipped('malformed', `could not parse the file (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** I/O errors as skips: a file removed after discovery is `missing`, a locked one `unreadable`. */
function fileErrorResult(err: unknown): LoadResult {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return skipped('missing', 'file no longer exists (removed after it was found?)');
  if (code === 'EACCES' || code === 'EPERM') return skipped('unreadable', 'permission denied; check the file permissions');
  if (code === 'EISDIR') return skipped('unreadable', 'path is a directory; pass it to discoverFiles instead');
  if (code !== undefined) return skipped('unreadable', `could not read the file (${code})`);
  throw err;
}
