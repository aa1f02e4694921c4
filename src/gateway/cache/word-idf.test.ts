import { describe, expect, it } from 'vitest';
import { fitWordIdf, WordIdf } from './word-idf.ts';

describe('question IDF', () => {
  it('counts a word once per pair, keeps only words seen twice, and gives unseen words the largest value', () => {
    const table = fitWordIdf([['How do I learn Python?', 'How can I learn Python fast?'], ['What is Python?', 'Why Python?'], ['Python or Java?', 'Java or Python?'], ['How do I cook rice?', 'Rice recipes?']]);
    expect(table.documents).toBe(4);
    // "python" is in three pairs (twice in each, counted once per pair), "how" in two, "rice" in one.
    expect(table.byFrequency['3']!.split(' ')).toEqual(['python']);
    expect(table.byFrequency['2']!.split(' ')).toContain('how');
    expect(Object.values(table.byFrequency).join(' ').split(' ')).not.toContain('rice');
    const idf = new WordIdf(table);
    expect(idf.of('python')).toBeLessThan(idf.of('how'));
    expect(idf.of('rice')).toBe(idf.max);
    expect(idf.of('never-seen')).toBe(idf.max);
  });
});
