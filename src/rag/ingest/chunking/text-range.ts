/** Half-open character ranges into a document's text, and the splits the chunker makes with them. */

export interface TextRange {
  start: number;
  end: number;
}

const WHITESPACE = /\s/;

/** The range with leading and trailing whitespace removed (empty when it is all whitespace). */
export function trimRange(text: string, start: number, end: number): TextRange {
  while (start < end && WHITESPACE.test(text[start] ?? '')) start++;
  while (end > start && WHITESPACE.test(text[end - 1] ?? '')) end--;
  return { start, end };
}

/**
 * Sentence ends: terminal punctuation (with closing quotes or brackets) followed by whitespace,
 * or a line break. Over-splitting (e.g. after "e.g.") only makes packing units finer; it never
 * changes chunk text, which is always a slice of the original.
 */
const SENTENCE_BREAK = /[.!?…。！？]+["'”’)\]]*(?=\s)|\n/g;

/** Trimmed, non-empty sentence ranges within [start, end). */
export function splitSentences(text: string, start: number, end: number): TextRange[] {
  const ranges: TextRange[] = [];
  const slice = text.slice(start, end);
  let pieceStart = 0;
  SENTENCE_BREAK.lastIndex = 0;
  for (let match = SENTENCE_BREAK.exec(slice); match; match = SENTENCE_BREAK.exec(slice)) {
    const pieceEnd = match.index + match[0].length;
    pushTrimmed(text, start + pieceStart, start + pieceEnd, ranges);
    pieceStart = pieceEnd;
  }
  pushTrimmed(text, start + pieceStart, end, ranges);
  return ranges;
}

/** Whitespace-separated word ranges within [start, end). */
export function splitWords(text: string, start: number, end: number): TextRange[] {
  const ranges: TextRange[] = [];
  const word = /\S+/g;
  const slice = text.slice(start, end);
  for (let match = word.exec(slice); match; match = word.exec(slice)) {
    ranges.push({ start: start + match.index, end: start + match.index + match[0].length });
  }
  return ranges;
}

/** Line ranges (non-blank, trailing whitespace kept off) within [start, end). */
export function splitLines(text: string, start: number, end: number): TextRange[] {
  const ranges: TextRange[] = [];
  let lineStart = start;
  while (lineStart < end) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    let trimmedEnd = lineEnd;
    while (trimmedEnd > lineStart && WHITESPACE.test(text[trimmedEnd - 1] ?? '')) trimmedEnd--;
    if (text.slice(lineStart, trimmedEnd).trim() !== '') ranges.push({ start: lineStart, end: trimmedEnd });
    lineStart = lineEnd + 1;
  }
  return ranges;
}

function pushTrimmed(text: string, start: number, end: number, into: TextRange[]): void {
  const range = trimRange(text, start, end);
  if (range.end > range.start) into.push(range);
}

/** Moves a cut point off the middle of a surrogate pair, so no chunk holds half an emoji. */
export function safeCut(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}
