import { describe, expect, it } from 'vitest';
import { expandQueryRm3 } from './rm3.ts';

describe('expandQueryRm3', () => {
  it('mixes the original query with score-weighted feedback terms, hand-computed', () => {
    const expanded = expandQueryRm3(
      ['heart'],
      [
        { terms: ['heart', 'cardiac', 'cardiac', 'risk'], score: 3 },
        { terms: ['heart', 'failure'], score: 1 },
      ],
      { feedbackTerms: 2, originalQueryWeight: 0.5 },
    );
    // Relevance: heart 0.75·¼ + 0.25·½ = 0.3125, cardiac 0.75·½ = 0.375, risk 0.1875, failure 0.125.
    // Top 2: cardiac, heart (mass 0.6875).
    expect(expanded.get('heart')).toBeCloseTo(0.5 + 0.5 * (0.3125 / 0.6875), 12);
    expect(expanded.get('cardiac')).toBeCloseTo(0.5 * (0.375 / 0.6875), 12);
    expect(expanded.has('risk')).toBe(false);
    expect([...expanded.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('keeps the original query when there is no feedback', () => {
    expect(expandQueryRm3(['a', 'b'], [])).toEqual(new Map([['a', 0.5], ['b', 0.5]]));
  });
});
