/**
 * The gold passage of an answer span: the sentence(s) of the document that contain it, so a
 * retrieved chunk can be checked against text rather than against an offset. When sentence
 * splitting yields something unreasonably long (PDF text without punctuation, tables), a window
 * of words around the span is used instead.
 */
import { splitSentences, type Sentence } from '../../text/sentences.ts';

export interface GoldPassageOptions {
  /** Most characters of context on each side of the answer before falling back to a window. */
  maxContext?: number;
}

const DEFAULT_MAX_CONTEXT = 300;

/** The text around [start, end) of `text`: whole sentences when short enough, else a word window. */
export function goldPassageAround(text: string, sentences: readonly Sentence[], start: number, end: number, options: GoldPassageOptions = {}): string {
  const maxContext = options.maxContext ?? DEFAULT_MAX_CONTEXT;
  const overlapping = sentences.filter((s) => s.start < end && s.end > start);
  let from = Math.min(start, overlapping[0]?.start ?? start);
  let to = Math.max(end, overlapping.at(-1)?.end ?? end);
  if (overlapping.length === 0 || start - from > maxContext || to - end > maxContext) {
    from = wordBoundaryBefore(text, Math.max(0, start - Math.floor(maxContext / 2)), start);
    to = wordBoundaryAfter(text, Math.min(text.length, end + Math.floor(maxContext / 2)), end);
  }
  return text.slice(from, to).trim();
}

/** Sentences of a document, computed once per document by the importers. */
export function sentencesOf(text: string): Sentence[] {
  return splitSentences(text);
}

// Never cut inside a word: move outwards to whitespace, but not past the answer itself.
function wordBoundaryBefore(text: string, position: number, limit: number): number {
  let p = position;
  while (p > 0 && p < limit && !/\s/.test(text[p - 1]!)) p--;
  return p;
}

function wordBoundaryAfter(text: string, position: number, limit: number): number {
  let p = position;
  while (p < text.length && p > limit && !/\s/.test(text[p]!)) p++;
  return p;
}
