import { describe, expect, it } from 'vitest';
import { decomposeAnswer, decomposeClaims } from './decompose-claims.ts';
import { splitClauses } from './clause-splitter.ts';
import { nonClaimReason } from './non-claims.ts';

describe('decomposeClaims', () => {
  it('makes one claim per sentence, drops citation markers and keeps spans into the answer', () => {
    const answer = 'Poseidon grossed $181,674,817 worldwide [2]. Its budget was $160 million [1, 3].';
    const claims = decomposeClaims(answer);
    expect(claims.map((c) => c.text)).toEqual(['Poseidon grossed $181,674,817 worldwide.', 'Its budget was $160 million.']);
    expect(claims.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(claims.map((c) => c.sentenceIndex)).toEqual([0, 1]);
    for (const c of claims) expect(answer.slice(c.span[0], c.span[1])).toContain(c.text.slice(0, 12));
    expect(answer.slice(claims[1]!.span[0], claims[1]!.span[1])).toBe('Its budget was $160 million [1, 3].');
  });

  it('splits at semicolons and coordinated independent clauses, not inside lists', () => {
    const answer = 'Poseidon is a 2006 disaster film; it grossed $181 million, and the budget was $160 million.';
    const claims = decomposeClaims(answer);
    expect(claims.map((c) => c.text)).toEqual(['Poseidon is a 2006 disaster film', 'it grossed $181 million', 'the budget was $160 million.']);
    expect(claims.every((c) => c.sentenceIndex === 0)).toBe(true);
    expect(answer.slice(claims[2]!.span[0], claims[2]!.span[1])).toBe('the budget was $160 million.');
    // A list and a coordinated noun phrase are one claim each.
    expect(decomposeClaims('The kit holds bread, butter, and jam from local farms.')).toHaveLength(1);
    expect(decomposeClaims('It is cheap, and fast.')).toHaveLength(1);
  });

  it('skips questions, headings, abstentions, preambles and empty hedges', () => {
    const answer = [
      '# Summary',
      '',
      "Here's a short summary of the passage:",
      'Is the film any good? I could not find an answer to that in the indexed documents.',
      'The film opened in May 2006. I hope this helps!',
    ].join('\n');
    const { claims, skipped } = decomposeAnswer(answer);
    expect(claims.map((c) => c.text)).toEqual(['The film opened in May 2006.']);
    expect(skipped.map((s) => s.reason)).toEqual(['heading', 'preamble', 'question', 'abstention', 'no-content']);
  });

  it('has no claims for an abstention', () => {
    expect(decomposeClaims('I could not find an answer to that in the indexed documents.')).toEqual([]);
    expect(decomposeClaims('')).toEqual([]);
  });
});

describe('splitClauses and nonClaimReason', () => {
  it('returns the whole sentence when there is nothing safe to split', () => {
    const s = 'Paris, the capital, is large.';
    expect(splitClauses(s)).toEqual([{ start: 0, end: s.length }]);
  });

  it('keeps a claim that merely hedges around content', () => {
    expect(nonClaimReason('It may have grossed $181 million.')).toBeNull();
    expect(nonClaimReason('It may depend.')).toBe('no-content');
  });
});
