/**
 * The most tokens an embeddings call may be billed for, counted before the call: our tokenizer
 * per text (+1 for the separator providers add) with a margin, since providers tokenize differently
 * and a reservation must stay a worst case.
 */
import { getTokenizer } from '../../core/tokenizer.ts';

const tokenizer = getTokenizer();
const MARGIN = 1.25;

export function worstCaseEmbeddingTokens(texts: readonly string[]): number {
  return Math.ceil(texts.reduce((sum, text) => sum + tokenizer.count(text) + 1, 0) * MARGIN);
}
