/**
 * Everything the offline judge needs from a chunk, computed once per judge call: its sentences,
 * windows of one and two adjacent sentences (a claim often merges two), each window's terms,
 * words, numbers and embedding, and the chunk's terms as a whole.
 */
import { contentTermSet } from '../../../text/content-terms.ts';
import { splitSentences } from '../../../text/sentences.ts';
import type { EvalContext } from '../../types.ts';
import { entityIndex, type EntityIndex } from '../../../text/entities.ts';
import { extractNumbers, type NumberMention } from '../../../text/numbers.ts';
import { polarityWords, type PolarityWords } from '../../../text/polarity.ts';

/** A candidate evidence span of a chunk. */
export interface EvidenceWindow {
  text: string;
  start: number;
  end: number;
  terms: Set<string>;
  words: PolarityWords;
  entityWords: EntityIndex;
  numbers: NumberMention[];
  /** Filled by the judge after one batched embed call. */
  vector?: Float32Array | undefined;
}

export interface IndexedChunk {
  context: EvalContext;
  windows: EvidenceWindow[];
  sentenceTerms: Array<Set<string>>;
  terms: Set<string>;
  entityWords: EntityIndex;
  numbers: NumberMention[];
}

// Two-sentence windows cover the usual merge; longer ones mostly add noise to the similarity.
const MAX_WINDOW_SENTENCES = 2;

/** Splits a chunk into evidence windows with their features. */
export function indexChunk(context: EvalContext): IndexedChunk {
  const text = context.text;
  const sentences = splitSentences(text);
  const units = sentences.length > 0 ? sentences : [{ text, start: 0, end: text.length }];
  const windows: EvidenceWindow[] = [];
  for (let i = 0; i < units.length; i++) {
    for (let size = 1; size <= MAX_WINDOW_SENTENCES && i + size <= units.length; size++) {
      const start = units[i]!.start;
      const end = units[i + size - 1]!.end;
      windows.push(windowOf(text.slice(start, end), start, end));
    }
  }
  return {
    context,
    windows,
    sentenceTerms: units.map((u) => contentTermSet(u.text)),
    terms: contentTermSet(text),
    entityWords: entityIndex(text),
    numbers: extractNumbers(text),
  };
}

function windowOf(text: string, start: number, end: number): EvidenceWindow {
  return { text, start, end, terms: contentTermSet(text), words: polarityWords(text), entityWords: entityIndex(text), numbers: extractNumbers(text) };
}
