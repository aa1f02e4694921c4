/**
 * SciFact abstracts scaled to any number of chunks: copy r of a document drops about 10% of its
 * words (seeded), so copies are near-duplicates with their own ids rather than exact repeats —
 * postings grow as in a larger corpus over the same vocabulary.
 */
import type { CorpusDoc } from '../scifact/scifact-data.ts';

/** `count` chunks cycling over the corpus; copy 0 is the original text. */
export function scaleCorpus(corpus: readonly CorpusDoc[], count: number, seed = 42): CorpusDoc[] {
  let state = seed >>> 0;
  const random = (): number => {
    // xorshift32: fast, seeded, good enough to pick words to drop.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const out: CorpusDoc[] = [];
  for (let i = 0; i < count; i++) {
    const doc = corpus[i % corpus.length]!;
    const copy = Math.floor(i / corpus.length);
    if (copy === 0) {
      out.push(doc);
      continue;
    }
    const text = doc.text
      .split(' ')
      .filter(() => random() >= 0.1)
      .join(' ');
    out.push({ id: `${doc.id}~${copy}`, title: doc.title, text });
  }
  return out;
}
