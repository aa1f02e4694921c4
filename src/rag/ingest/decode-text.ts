/** Turns raw bytes into document text, or says why they are not text. */
import type { SkipReason } from './load-result.ts';

/** Git's heuristic: a NUL byte in the first 8,000 bytes means binary. */
const BINARY_SNIFF_BYTES = 8000;

export type DecodedText = { ok: true; text: string } | { ok: false; reason: SkipReason; message: string };

/** True when the bytes look binary (a NUL byte near the start). */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** A message for binary input; UTF-16 text also has NUL bytes, so it gets a hint of its own. */
export function binaryMessage(bytes: Uint8Array): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return utf16
    ? 'file is UTF-16 encoded; convert it to UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`) and ingest again'
    : 'file looks binary (contains NUL bytes); only text, HTML, PDF and JSON files can be ingested';
}

/** Strict UTF-8 decode with BOM removal and CRLF → LF, so offsets mean the same on every platform. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (looksBinary(bytes)) return { ok: false, reason: 'binary', message: binaryMessage(bytes) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return {
      ok: false,
      reason: 'invalid_utf8',
      message: 'file is not valid UTF-8; re-save it as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`) and ingest again',
    };
  }
  text = normalizeNewlines(text);
  if (text.trim() === '') return { ok: false, reason: 'empty', message: 'file has no text (empty or whitespace only)' };
  return { ok: true, text };
}

/** CRLF and lone CR become LF. */
export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
