/**
 * Whether a retrieved context holds a gold passage, by text, for golden sets that name passages
 * rather than ids (synthetic sets, SQuAD-style imports). Both sides are SQuAD-normalised; a
 * context holds the passage when it contains it outright, or when it has at least half of the
 * passage's word bigrams — chunk boundaries cut passages, and a context holding half of one still
 * holds evidence. Bigrams, not single words, so a long context does not match by scattered
 * common words.
 */
import { answerTokens } from './answer-normalization.ts';

/** Share of a gold passage's bigrams a context must hold for the passage to count as found in it. */
export const GOLD_PASSAGE_MATCH_THRESHOLD = 0.5;

/** A gold passage, normalised once for matching against many contexts. */
export interface PreparedPassage {
  text: string;
  normalized: string;
  bigrams: Set<string>;
}

/** Normalises a passage (or context) for matching. */
export function preparePassage(text: string): PreparedPassage {
  const tokens = answerTokens(text);
  return { text, normalized: tokens.join(' '), bigrams: bigramsOf(tokens) };
}

/** Share in [0, 1] of the gold passage found in the context: 1 when contained, else the share of its bigrams present. */
export function passageCoverage(gold: PreparedPassage, context: PreparedPassage): number {
  if (gold.normalized === '') return 0;
  if (` ${context.normalized} `.includes(` ${gold.normalized} `)) return 1;
  if (gold.bigrams.size === 0) return 0;
  let found = 0;
  for (const bigram of gold.bigrams) if (context.bigrams.has(bigram)) found += 1;
  return found / gold.bigrams.size;
}

function bigramsOf(tokens: readonly string[]): Set<string> {
  const bigrams = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) bigrams.add(`${tokens[i]} ${tokens[i + 1]}`);
  return bigrams;
}
