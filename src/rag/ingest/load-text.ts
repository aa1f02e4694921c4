/** Loads text posted over the API (or passed by a library caller) into a document. */
import { DEFAULT_MAX_FILE_BYTES, formatBytes, skipped, type LoadOptions, type LoadResult } from './load-result.ts';
import { normalizeNewlines } from './decode-text.ts';
import { textDocument, type TextKind } from './loaders/text-document.ts';

export interface TextInput {
  text: string;
  title?: string;
  id?: string;
  /** Default "api". */
  source?: string;
  /** text/plain, text/markdown or text/html; default markdown when the text has `#` headings, else plain. */
  mimeType?: string;
}

const KIND_BY_MIME: Record<string, TextKind> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
};

/** A document from posted text, with the same empty and size checks as files. */
export function loadText(input: TextInput, options: LoadOptions = {}): LoadResult {
  // Text with markdown headings is chunked by its sections; anything else as plain paragraphs.
  const guessed = /^#{1,6} \S/m.test(input.text) ? 'text/markdown' : 'text/plain';
  const mimeType = (input.mimeType ?? guessed).split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  const kind = KIND_BY_MIME[mimeType];
  if (!kind) {
    return skipped('unsupported_type', `mimeType "${mimeType}" cannot be posted as text; use ${Object.keys(KIND_BY_MIME).join(', ')}`);
  }
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > maxBytes) {
    return skipped('too_large', `text is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit; split it into smaller documents`);
  }
  const text = normalizeNewlines(input.text);
  if (text.trim() === '') return skipped('empty', 'text is empty or whitespace only');
  const { document, warnings } = textDocument(kind, text, input.source ?? 'api');
  if (document.text.trim() === '') return skipped('empty', 'text has no content besides markup or front matter');
  if (input.title !== undefined) document.title = input.title;
  if (input.id !== undefined) document.id = input.id;
  return { ok: true, documents: [document], warnings };
}
