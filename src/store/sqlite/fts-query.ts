/**
 * Turns a user's free text into an FTS5 query that cannot be a syntax error: every word becomes
 * a quoted string (so AND, NEAR, *, parentheses and quotes are plain text) and the words are
 * OR-ed, leaving ranking to bm25().
 */

/** Longer queries add little recall and make MATCH slow. */
const MAX_TERMS = 64;

/** Letters, digits and combining marks: the characters FTS5's unicode61 tokenizer keeps. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The safe FTS5 MATCH expression for `text`, or null when it has no searchable word. */
export function toFtsQuery(text: string): string | null {
  const terms = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    terms.add(match[0].toLowerCase());
    if (terms.size >= MAX_TERMS) break;
  }
  if (terms.size === 0) return null;
  // The quotes are doubled for safety even though WORD never captures one.
  return [...terms].map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}
