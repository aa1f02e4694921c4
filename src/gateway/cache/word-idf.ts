/**
 * Inverse document frequency of words in questions, fitted on the calibration half of a pairs file
 * (bench/semantic-cache) and committed with the verifier. GloVe's frequency rank says how rare a
 * word is in Wikipedia; what a question cache needs is how rare it is in questions ("best", "way",
 * "quora" are everywhere there). Each calibration pair is one document (the union of its two
 * questions' words), so a word the two share counts once, like a word only one of them has —
 * otherwise shared rare words would look commoner on the fitted pairs than on new ones.
 */
import { wordTokens } from '../../providers/offline/sif-embedder-tokens.ts';

/** A fitted IDF table: words seen in at least two documents, grouped by document frequency. */
export interface WordIdfTable {
  kind: 'word-idf';
  documents: number;
  /** Document frequency → the words with it, space-separated (compact when committed). */
  byFrequency: Record<string, string>;
}

/** Looks up IDF values; a word in at most one document gets the largest. */
export class WordIdf {
  readonly max: number;
  private readonly idf = new Map<string, number>();

  constructor(readonly table: WordIdfTable) {
    this.max = idfOf(table.documents, 1);
    for (const [df, words] of Object.entries(table.byFrequency)) {
      const value = idfOf(table.documents, Number(df));
      for (const w of words.split(' ')) if (w) this.idf.set(w, value);
    }
  }

  /** IDF of a lower-cased word token. */
  of(word: string): number {
    return this.idf.get(word) ?? this.max;
  }
}

function idfOf(documents: number, df: number): number {
  return Math.log((documents + 1) / (df + 1)) + 1;
}

/** Fits the table: each document is a list of texts whose words count once together. */
export function fitWordIdf(documents: ReadonlyArray<readonly string[]>, minFrequency = 2): WordIdfTable {
  const df = new Map<string, number>();
  for (const texts of documents) {
    const words = new Set(texts.flatMap((t) => wordTokens(t)));
    for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const groups = new Map<number, string[]>();
  for (const [w, n] of df) {
    if (n < minFrequency) continue;
    const list = groups.get(n) ?? [];
    list.push(w);
    groups.set(n, list);
  }
  const byFrequency: Record<string, string> = {};
  for (const n of [...groups.keys()].sort((a, b) => a - b)) byFrequency[String(n)] = groups.get(n)!.sort().join(' ');
  return { kind: 'word-idf', documents: documents.length, byFrequency };
}
