/**
 * Packing units: the pieces the packer puts into chunks, each with its token count and no bigger
 * than maxTokens. A block that fits is one unit; a paragraph that does not is split into
 * sentences, a sentence into words, a word into character runs; a code fence into lines.
 */
import type { Block } from './blocks.ts';
import type { RangeTokenCounter } from './range-token-counter.ts';
import { safeCut, splitLines, splitSentences, splitWords, type TextRange } from './text-range.ts';

/** How the overlap may cut into a unit from its end: by sentences, by words, or not at all. */
export type Refinement = 'sentences' | 'words' | 'none';

export interface Unit extends TextRange {
  tokens: number;
  refine: Refinement;
}

/**
 * Blocks up to this many characters per allowed token are counted whole first: most fit. Longer
 * ones go straight to sentences, sparing a count that would be thrown away (English prose runs
 * ~4.5 characters per token).
 */
const MAX_PLAUSIBLE_CHARS_PER_TOKEN = 4;

/** Units for the blocks of one section. */
export function blocksToUnits(blocks: Block[], counter: RangeTokenCounter, maxTokens: number): Unit[] {
  const units: Unit[] = [];
  for (const block of blocks) {
    if (block.kind === 'code') codeUnits(block, counter, maxTokens, units);
    else proseUnits(block, block.kind === 'paragraph' ? 'sentences' : 'none', counter, maxTokens, units);
  }
  return units;
}

function codeUnits(block: TextRange, counter: RangeTokenCounter, maxTokens: number, into: Unit[]): void {
  const tokens = counter.count(block.start, block.end);
  // A fence that fits is never cut, not even by the overlap of the next chunk.
  if (tokens <= maxTokens) {
    into.push({ ...block, tokens, refine: 'none' });
    return;
  }
  for (const line of splitLines(counter.text, block.start, block.end)) {
    const lineTokens = counter.count(line.start, line.end);
    if (lineTokens <= maxTokens) into.push({ ...line, tokens: lineTokens, refine: 'none' });
    else characterRuns(line, counter, maxTokens, into);
  }
}

function proseUnits(block: TextRange, refine: Refinement, counter: RangeTokenCounter, maxTokens: number, into: Unit[]): void {
  if (block.end - block.start <= maxTokens * MAX_PLAUSIBLE_CHARS_PER_TOKEN) {
    const tokens = counter.count(block.start, block.end);
    if (tokens <= maxTokens) {
      into.push({ ...block, tokens, refine });
      return;
    }
  }
  const sentences = splitSentences(counter.text, block.start, block.end).map((range) => ({
    ...range,
    tokens: counter.count(range.start, range.end),
  }));
  // Sentence counts only approximate the block's (BPE merges differ at the joins); near the limit,
  // an exact count decides, so a block that fits stays one unit.
  const summed = sentences.reduce((sum, sentence) => sum + sentence.tokens, 0);
  if (sentences.length > 1 && summed <= maxTokens * 1.1) {
    const tokens = counter.count(block.start, block.end);
    if (tokens <= maxTokens) {
      into.push({ ...block, tokens, refine });
      return;
    }
  }
  for (const sentence of sentences) {
    const tokens = sentence.tokens;
    if (tokens <= maxTokens) {
      into.push({ ...sentence, tokens, refine: 'words' });
      continue;
    }
    for (const word of splitWords(counter.text, sentence.start, sentence.end)) {
      const wordTokens = counter.count(word.start, word.end);
      if (wordTokens <= maxTokens) into.push({ ...word, tokens: wordTokens, refine: 'none' });
      else characterRuns(word, counter, maxTokens, into);
    }
  }
}

/** Cuts a range with no usable break (a huge token-dense word or line) into the longest runs that fit. */
function characterRuns(range: TextRange, counter: RangeTokenCounter, maxTokens: number, into: Unit[]): void {
  let start = range.start;
  while (start < range.end) {
    // Binary search for the longest run from `start` that fits; a token spans only a few dozen characters.
    let fits = Math.min(start + 1, range.end);
    let low = fits;
    let high = Math.min(range.end, start + maxTokens * 64);
    if (counter.count(start, high) <= maxTokens) fits = high;
    else {
      while (low < high - 1) {
        const mid = (low + high) >>> 1;
        if (counter.count(start, mid) <= maxTokens) low = mid;
        else high = mid;
      }
      fits = low;
    }
    const end = Math.max(safeCut(counter.text, fits), Math.min(start + 2, range.end));
    into.push({ start, end, tokens: counter.count(start, end), refine: 'none' });
    start = end;
  }
}
