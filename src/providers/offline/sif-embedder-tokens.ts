/**
 * Splits text into the word forms the GloVe/wink vocabulary uses: lower case, accents stripped,
 * letters and digits with inner hyphens kept ("long-distance", "h1n1"). Punctuation is dropped:
 * its vectors carry no topic and would only add noise to an average.
 */

const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
const COMBINING_MARKS = /\p{M}/gu;
const NON_ASCII = /[^ -~\t\n\r]/;

/** Lower-cased word tokens of a text, in order. */
export function wordTokens(text: string): string[] {
  // Unicode normalisation is the slow step; most text is ASCII and needs none.
  const ascii = !NON_ASCII.test(text);
  const folded = (ascii ? text : text.normalize('NFKD').replace(COMBINING_MARKS, '')).toLowerCase();
  return folded.match(WORD) ?? [];
}

/**
 * Vocabulary rows for the tokens of a text. A hyphenated word missing from the vocabulary is
 * looked up part by part ("covid-related" → "related"); unknown words are skipped.
 * Returns the rows and the number of word tokens read (the usage count).
 */
export function vocabularyRows(text: string, rowOfWord: (word: string) => number): { rows: number[]; tokenCount: number } {
  const rows: number[] = [];
  const tokens = wordTokens(text);
  for (const token of tokens) {
    const row = rowOfWord(token);
    if (row >= 0) {
      rows.push(row);
      continue;
    }
    if (!token.includes('-')) continue;
    for (const part of token.split('-')) {
      const partRow = rowOfWord(part);
      if (partRow >= 0) rows.push(partRow);
    }
  }
  return { rows, tokenCount: tokens.length };
}
