import { describe, expect, it } from 'vitest';
import { goldPassageAround, sentencesOf } from './gold-passage.ts';

describe('goldPassageAround', () => {
  it('takes every sentence the answer touches', () => {
    const text = 'First one. The answer starts here. And ends here. Last one.';
    const start = text.indexOf('starts');
    const end = text.indexOf('ends') + 4;
    expect(goldPassageAround(text, sentencesOf(text), start, end)).toBe('The answer starts here. And ends here.');
  });

  it('falls back to a word window when the sentence is too long, never cutting a word or the answer', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const start = text.indexOf('word200 ');
    const end = start + 'word200 word201'.length;
    const passage = goldPassageAround(text, sentencesOf(text), start, end, { maxContext: 40 });
    expect(passage).toContain('word200 word201');
    expect(passage.length).toBeLessThan(80);
    expect(passage).toMatch(/^word\d+ .* word\d+$/);
  });
});
