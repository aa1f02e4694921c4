import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { createAnalyzer } from './analyzer.ts';
import { Bm25Index } from './bm25-index.ts';

const docs: Record<string, string> = {
  a: 'cats purr and cats sleep',
  b: 'dogs bark',
  c: 'cats and dogs are pets that sleep a lot during the day',
};

/** Textbook BM25 with Lucene's idf, written independently of the index. */
function referenceBm25(query: string[], corpus: Record<string, string>, k1: number, b: number): Map<string, number> {
  const tokenized = Object.entries(corpus).map(([id, text]) => [id, text.split(' ')] as const);
  const n = tokenized.length;
  const avgdl = tokenized.reduce((sum, [, t]) => sum + t.length, 0) / n;
  const scores = new Map<string, number>();
  for (const [id, terms] of tokenized) {
    let score = 0;
    for (const q of query) {
      const tf = terms.filter((t) => t === q).length;
      const df = tokenized.filter(([, t]) => t.includes(q)).length;
      if (tf === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * terms.length) / avgdl));
    }
    if (score > 0) scores.set(id, score);
  }
  return scores;
}

describe('Bm25Index', () => {
  it('scores exactly as textbook BM25 with Lucene idf', () => {
    const index = new Bm25Index({ k1: 1.2, b: 0.75 });
    for (const [id, text] of Object.entries(docs)) index.add(id, { text });
    const expected = referenceBm25(['cats', 'sleep'], docs, 1.2, 0.75);
    const hits = index.search('cats sleep', 10);
    expect(hits.map((h) => h.id)).toEqual(['a', 'c']);
    for (const hit of hits) expect(hit.score).toBeCloseTo(expected.get(hit.id)!, 5);
  });

  it('counts a repeated query term once per occurrence', () => {
    const index = new Bm25Index();
    for (const [id, text] of Object.entries(docs)) index.add(id, { text });
    const once = index.search('dogs', 1)[0]!.score;
    expect(index.search('dogs dogs', 1)[0]!.score).toBeCloseTo(2 * once, 6);
  });

  it('honours k and the filter, and returns nothing for unknown terms', () => {
    const index = new Bm25Index();
    for (const [id, text] of Object.entries(docs)) index.add(id, { text });
    expect(index.search('sleep', 1).map((h) => h.id)).toEqual(['a']);
    expect(index.search('sleep', 10, (id) => id !== 'a').map((h) => h.id)).toEqual(['c']);
    expect(index.search('zebra', 10)).toEqual([]);
    expect(index.search('cats', 0)).toEqual([]);
  });

  it('after remove and compact, scores match an index built without the document', () => {
    const index = new Bm25Index();
    for (const [id, text] of Object.entries(docs)) index.add(id, { text });
    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.search('purr', 10)).toEqual([]);
    index.compact();
    const fresh = new Bm25Index();
    fresh.add('b', { text: docs['b'] });
    fresh.add('c', { text: docs['c'] });
    expect(index.size).toBe(2);
    expect(index.search('cats dogs sleep', 10)).toEqual(fresh.search('cats dogs sleep', 10));
  });

  it('keeps answering the same after shrinkToFit, and can grow again', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 40; i++) index.add(`d${i}`, { text: `shared term${i % 5}` });
    const before = index.search('shared term3', 5);
    const bytes = index.memoryBytes();
    index.shrinkToFit();
    expect(index.memoryBytes()).toBeLessThan(bytes);
    expect(index.search('shared term3', 5)).toEqual(before);
    index.add('late', { text: 'term3 term3 term3' });
    expect(index.search('term3', 1)[0]!.id).toBe('late');
  });

  it('re-adding an id replaces the old text', () => {
    const index = new Bm25Index();
    index.add('x', { text: 'alpha' });
    index.add('x', { text: 'beta' });
    expect(index.size).toBe(1);
    expect(index.search('alpha', 5)).toEqual([]);
    expect(index.search('beta', 5).map((h) => h.id)).toEqual(['x']);
  });

  it('compacts by itself under many removals and keeps answering correctly', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 200; i++) index.add(`d${i}`, { text: `common word${i % 7} token${i}` });
    for (let i = 0; i < 150; i++) index.remove(`d${i}`);
    expect(index.size).toBe(50);
    const hits = index.search('token175 common', 3);
    expect(hits[0]!.id).toBe('d175');
    expect(hits.every((h) => Number(h.id.slice(1)) >= 150)).toBe(true);
  });

  it('weights a title field above the body (BM25F)', () => {
    const index = new Bm25Index({ fields: { title: { weight: 3 }, text: {} } });
    index.add('titled', { title: 'vaccine trial', text: 'results of a study' });
    index.add('mentioned', { title: 'results', text: 'a vaccine trial study' });
    expect(index.search('vaccine', 2).map((h) => h.id)).toEqual(['titled', 'mentioned']);
    const flat = new Bm25Index({ fields: { title: {}, text: {} } });
    flat.add('titled', { title: 'vaccine trial', text: 'results of a study' });
    flat.add('mentioned', { title: 'results here', text: 'a vaccine trial study' });
    // Equal field lengths, unit weights: the field a term sits in makes no difference.
    const [first, second] = flat.search('vaccine', 2);
    expect(first!.score).toBeCloseTo(second!.score, 6);
  });

  it('stems through its analyzer on both sides', () => {
    const index = new Bm25Index({ analyzer: createAnalyzer({ stem: true }) });
    index.add('m', { text: 'mutations in the gene' });
    expect(index.search('mutation', 1).map((h) => h.id)).toEqual(['m']);
  });

  it('rejects out-of-range parameters with a hint', () => {
    expect(() => new Bm25Index({ b: 2 })).toThrow(PlumbError);
  });
});
