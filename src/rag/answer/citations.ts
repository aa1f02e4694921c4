/**
 * Citations in an answer: `[n]`, `[n, m]`, `[n][m]` and `[n-m]` markers mapped to the passages
 * they number, each with the passage sentence that best supports the sentence citing it, so a
 * reader (or the dashboard) can highlight the evidence in the document.
 */
import { contentTerms } from '../../text/content-terms.ts';
import { splitSentences } from '../../text/sentences.ts';
import type { CitablePassage } from './prompt-builder.ts';

export interface Citation {
  /** The passage number used in the answer. */
  n: number;
  chunkId: string;
  documentId: string;
  title: string | null;
  source: string;
  /** Offsets of `snippet` in the document's text. */
  charStart: number;
  charEnd: number;
  /** The passage sentence most relevant to the citing sentence(s), shortened if long. */
  snippet: string;
}

export interface CitationMarker {
  /** Passage numbers the marker names, ranges expanded, in written order. */
  numbers: number[];
  /** Offsets of the marker in the answer. */
  start: number;
  end: number;
}

export interface ExtractedCitations {
  /** One per cited passage, in order of first use. */
  citations: Citation[];
  /** Numbers cited that match no passage, in order of first use. */
  invalidCitations: number[];
}

export const MAX_SNIPPET_CHARS = 240;
// "[1-400]" is a typo or a year range, not a request to cite 400 passages.
const MAX_RANGE_WIDTH = 20;
const MARKER = /\[(\s*\d+\s*(?:[-–—,;]\s*\d+\s*)*)\]/g;

/** Every citation marker in `text`, in order. */
export function parseCitationMarkers(text: string): CitationMarker[] {
  const markers: CitationMarker[] = [];
  for (const match of text.matchAll(MARKER)) {
    const numbers: number[] = [];
    for (const part of (match[1] ?? '').split(/[,;]/)) {
      const [from, to] = part.split(/[-–—]/).map((x) => Number(x.trim()));
      if (from === undefined) continue;
      if (to === undefined || to === from) numbers.push(from);
      else if (to > from && to - from <= MAX_RANGE_WIDTH) for (let k = from; k <= to; k++) numbers.push(k);
      else numbers.push(from, to);
    }
    markers.push({ numbers, start: match.index, end: match.index + match[0].length });
  }
  return markers;
}

/** The answer without its citation markers, spaces tidied. */
export function stripCitationMarkers(text: string): string {
  return text
    .replace(MARKER, '')
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Maps the markers of `answer` to `passages` and flags numbers that name no passage. */
export function extractCitations(answer: string, passages: readonly CitablePassage[]): ExtractedCitations {
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  const markers = parseCitationMarkers(answer);
  const answerSentences = splitSentences(answer);

  // For each cited number, the text of every answer sentence that cites it.
  const citingText = new Map<number, string[]>();
  const invalid: number[] = [];
  for (const marker of markers) {
    const sentence = answerSentences.find((s) => marker.start >= s.start && marker.start < s.end);
    const context = stripCitationMarkers(sentence?.text ?? answer);
    for (const n of marker.numbers) {
      if (!byNumber.has(n)) {
        if (!invalid.includes(n)) invalid.push(n);
        continue;
      }
      const texts = citingText.get(n) ?? [];
      if (!texts.includes(context)) texts.push(context);
      citingText.set(n, texts);
    }
  }

  const citations: Citation[] = [];
  for (const [n, texts] of citingText) {
    const passage = byNumber.get(n);
    if (passage) citations.push(citationFor(passage, texts.join(' ')));
  }
  return { citations, invalidCitations: invalid };
}

function citationFor(passage: CitablePassage, citingText: string): Citation {
  const evidence = bestSupportingSentence(passage.text, citingText);
  const snippet = shorten(evidence.text);
  return {
    n: passage.n,
    chunkId: passage.chunkId,
    documentId: passage.documentId,
    title: passage.title ?? null,
    source: passage.source,
    charStart: passage.charStart + evidence.start,
    charEnd: passage.charStart + evidence.start + snippet.length,
    snippet,
  };
}

/** The passage sentence sharing the most content terms with the citing text (the first on ties). */
function bestSupportingSentence(passageText: string, citingText: string): { text: string; start: number } {
  const wanted = new Set(contentTerms(citingText));
  let best = { text: passageText, start: 0 };
  let bestScore = -1;
  for (const sentence of splitSentences(passageText)) {
    const terms = new Set(contentTerms(sentence.text));
    let shared = 0;
    for (const term of terms) if (wanted.has(term)) shared++;
    // Divide by a root of the length so a long sentence does not win by size alone.
    const score = shared / Math.sqrt(terms.size + 1);
    if (score > bestScore) {
      bestScore = score;
      best = { text: sentence.text, start: sentence.start };
    }
  }
  return best;
}

/** A prefix of `text` of at most MAX_SNIPPET_CHARS, cut at a word boundary. */
function shorten(text: string): string {
  if (text.length <= MAX_SNIPPET_CHARS) return text;
  const cut = text.slice(0, MAX_SNIPPET_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > MAX_SNIPPET_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd();
}
