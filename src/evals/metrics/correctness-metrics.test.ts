import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from './answer-normalization.ts';
import { exactMatch } from './exact-match.ts';
import { tokenF1 } from './token-f1.ts';

describe('normalizeAnswer (SQuAD)', () => {
  it('lowercases, drops punctuation, articles and citation markers, collapses whitespace', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower, in   Paris! [2]')).toBe('eiffeltower in paris');
    expect(normalizeAnswer('“An apple” a day')).toBe('apple day');
    expect(normalizeAnswer('Theatre is not an article')).toBe('theatre is not article');
  });
});

describe('exactMatch', () => {
  it('matches after normalisation and takes the best of several references', () => {
    expect(exactMatch('The Eiffel Tower!', 'eiffel tower').value).toBe(1);
    expect(exactMatch('“Paris” [1].', ['London', 'paris']).value).toBe(1);
    expect(exactMatch('Eiffel', 'eiffel tower')).toMatchObject({ value: 0, method: 'exact' });
  });

  it('is undetermined without a usable reference', () => {
    expect(exactMatch('Paris', [])).toMatchObject({ value: null, reason: expect.stringContaining('no reference') });
    expect(exactMatch('Paris', 'The.').value).toBeNull();
  });
});

describe('tokenF1', () => {
  it('computes SQuAD F1 from the token multisets', () => {
    // answer [cat sat on mat] vs reference [cat on mat]: shared 3, P 3/4, R 1, F1 = 1.5/1.75.
    const score = tokenF1('The cat sat on the mat.', 'a cat on a mat');
    expect(score.value).toBeCloseTo(6 / 7, 10);
    expect(score.evidence).toMatchObject({ precision: 0.75, recall: 1, shared: 3 });
  });

  it('counts a repeated token only as often as the reference has it', () => {
    // [cat cat cat] vs [cat]: shared 1, P 1/3, R 1, F1 0.5.
    expect(tokenF1('the cat cat cat', 'cat').value).toBeCloseTo(0.5, 10);
  });

  it('is 0 (determined) with no overlap or an empty answer, and takes the best reference', () => {
    expect(tokenF1('London', 'Paris')).toMatchObject({ value: 0, method: 'exact' });
    expect(tokenF1('', 'Paris')).toMatchObject({ value: 0, reason: expect.stringContaining('no tokens') });
    // vs "paris france": P 1, R 1/2 → 2/3; vs "paris": 1.
    expect(tokenF1('Paris', ['Paris, France', 'Paris']).value).toBe(1);
    expect(tokenF1('Paris', ['Paris, France']).value).toBeCloseTo(2 / 3, 10);
  });

  it('ignores citation markers and is undetermined without a reference', () => {
    expect(tokenF1('Paris [1][2].', 'Paris').value).toBe(1);
    expect(tokenF1('Paris', []).value).toBeNull();
    expect(tokenF1('Paris', 'an the a').value).toBeNull();
  });
});
