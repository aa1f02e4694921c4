/**
 * Sentence splitting for prose, markdown and plain text extracted from PDFs or HTML. Rule-based
 * on purpose (no model, no download): it splits at . ! ? followed by whitespace and a plausible
 * sentence start, and refuses to split after abbreviations ("e.g.", "Dr.", "Fig. 2"), initials,
 * inside decimals, URLs and inline code. Markdown headings, list items and fenced code blocks
 * become their own units. Offsets index into the input, so callers can cite and highlight.
 */

export type SentenceKind = 'prose' | 'heading' | 'list-item' | 'code';

export interface Sentence {
  /** The sentence, exactly `input.slice(start, end)` (markdown markers excluded). */
  text: string;
  start: number;
  end: number;
  kind: SentenceKind;
}

interface Segment {
  start: number;
  end: number;
  kind: SentenceKind;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}#{1,6}\s+/;
const BULLET = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;

/** Splits text into sentences with their character offsets. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const segment of segmentBlocks(text)) {
    if (segment.kind === 'prose' || segment.kind === 'list-item') {
      splitProse(text, segment, sentences);
    } else {
      pushTrimmed(text, segment.start, segment.end, segment.kind, sentences);
    }
  }
  return sentences;
}

/** Cuts text into paragraphs, headings, list items and code blocks, by line. */
function segmentBlocks(text: string): Segment[] {
  const segments: Segment[] = [];
  let paragraph: Segment | null = null;
  let fence: { start: number; marker: string } | null = null;
  const closeParagraph = (): void => {
    if (paragraph) segments.push(paragraph);
    paragraph = null;
  };

  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const next = newline === -1 ? text.length + 1 : newline + 1;

    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1] === fence.marker) {
        segments.push({ start: fence.start, end: lineEnd, kind: 'code' });
        fence = null;
      }
    } else if (fenceMatch) {
      closeParagraph();
      fence = { start: lineStart, marker: fenceMatch[1] ?? '```' };
    } else if (line.trim() === '') {
      closeParagraph();
    } else {
      const heading = HEADING.exec(line);
      const bullet = heading ? null : BULLET.exec(line);
      if (heading) {
        closeParagraph();
        segments.push({ start: lineStart + heading[0].length, end: lineEnd, kind: 'heading' });
      } else if (bullet) {
        closeParagraph();
        paragraph = { start: lineStart + bullet[0].length, end: lineEnd, kind: 'list-item' };
      } else if (paragraph) {
        // A wrapped line continues the paragraph (or the list item it is indented under).
        paragraph.end = lineEnd;
      } else {
        paragraph = { start: lineStart, end: lineEnd, kind: 'prose' };
      }
    }
    lineStart = next;
  }
  // An unclosed fence runs to the end, as markdown renders it.
  if (fence) segments.push({ start: fence.start, end: text.length, kind: 'code' });
  closeParagraph();
  return segments;
}

// Never end a sentence: titles, "e.g.", "vs.", "approx.".
const ALWAYS_ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'cf', 'eg', 'ie', 'approx', 'ca', 'resp',
  'viz', 'dept', 'gen', 'gov', 'lt', 'col', 'sgt', 'rev', 'hon', 'mt', 'ft',
]);
// End a sentence only when a capitalised word follows: "apples, pears, etc. Next…".
const SOFT_ABBREVIATIONS = new Set(['etc', 'al', 'inc', 'ltd', 'co', 'corp', 'jan', 'feb', 'mar', 'apr', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
// Never end a sentence when a number follows: "Fig. 2", "No. 5", "pp. 12".
const NUMBER_ABBREVIATIONS = new Set(['fig', 'figs', 'eq', 'eqs', 'no', 'nos', 'vol', 'vols', 'pp', 'p', 'ref', 'refs', 'sec', 'ch', 'art', 'tab', 'ed', 'eds']);

const CLOSERS = new Set([')', ']', '"', "'", '”', '’', '»', '*', '_']);
// A citation like "[3]" or "[3, 4]" written after the full stop belongs to the sentence before it.
const TRAILING_CITATION = /^\s*\[\d+(?:\s*[-–,;]\s*\d+)*\]/;

function splitProse(text: string, segment: Segment, out: Sentence[]): void {
  const inCode = inlineCodeMask(text, segment.start, segment.end);
  let sentenceStart = segment.start;
  for (let i = segment.start; i < segment.end; i++) {
    const ch = text[i];
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    if (inCode[i - segment.start]) continue;

    let j = i + 1;
    while (j < segment.end && '.!?'.includes(text[j] ?? '')) j++;
    while (j < segment.end && CLOSERS.has(text[j] ?? '')) j++;
    // No whitespace after the mark: a decimal, a URL, a file name, "e.g.x".
    if (j < segment.end && !/\s/.test(text[j] ?? '')) continue;

    const citation = TRAILING_CITATION.exec(text.slice(j, Math.min(segment.end, j + 40)));
    if (citation) j += citation[0].length;

    let k = j;
    while (k < segment.end && /\s/.test(text[k] ?? '')) k++;
    if (k < segment.end && !startsSentence(text, i, k, segment.start)) continue;

    pushTrimmed(text, sentenceStart, j, segment.kind, out);
    sentenceStart = k;
    i = k - 1;
  }
  pushTrimmed(text, sentenceStart, segment.end, segment.kind, out);
}

/** Whether the text at `next` starts a new sentence after the mark at `mark`. */
function startsSentence(text: string, mark: number, next: number, floor: number): boolean {
  const nextChar = text[next] ?? '';
  // "approx. three", "e.g. the", "... and then": a lowercase word continues the sentence.
  if (/\p{Ll}/u.test(nextChar)) return false;
  if (text[mark] !== '.') return true;
  // An ellipsis before a capital is treated as an end; before anything else it is a pause.
  const before = text.slice(Math.max(floor, mark - 24), mark);
  const word = /([\p{L}][\p{L}.]*)$/u.exec(before)?.[1] ?? '';
  if (word === '') return true;
  const bare = word.replace(/\./g, '').toLowerCase();
  const nextIsUpper = /\p{Lu}/u.test(nextChar);
  const nextIsDigit = /\d/.test(nextChar);
  if (ALWAYS_ABBREVIATIONS.has(bare)) return false;
  if (NUMBER_ABBREVIATIONS.has(bare) && nextIsDigit) return false;
  if (SOFT_ABBREVIATIONS.has(bare)) return nextIsUpper;
  // Initials and dotted acronyms: "J. Smith", "U.S. Army", "i.e. Paris".
  if (/^\p{Lu}$/u.test(word)) return false;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return false;
  return true;
}

/** Marks characters inside `inline code` spans, where full stops are not sentence ends. */
function inlineCodeMask(text: string, start: number, end: number): Uint8Array {
  const mask = new Uint8Array(end - start);
  let open = -1;
  for (let i = start; i < end; i++) {
    if (text[i] !== '`') continue;
    if (open === -1) {
      open = i;
    } else {
      mask.fill(1, open - start, i - start + 1);
      open = -1;
    }
  }
  return mask;
}

function pushTrimmed(text: string, start: number, end: number, kind: SentenceKind, out: Sentence[]): void {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) out.push({ text: text.slice(start, end), start, end, kind });
}
