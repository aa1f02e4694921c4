import { describe, expect, it } from 'vitest';
import { wordTokens } from '../../providers/offline/sif-embedder-tokens.ts';
import { differenceBag, differenceBagScore, differenceBagWeights, fitDifferenceBag } from './difference-bag.ts';

const pair = (a: string, b: string, duplicate: boolean) => ({ a: wordTokens(a), b: wordTokens(b), duplicate });

describe('difference bag', () => {
  it('lists unshared words and bigrams and the question-word pair, the same either way round', () => {
    const bag = differenceBag(wordTokens('How do I learn Python?'), wordTokens('Why do I learn Python?'));
    expect(bag.sort()).toEqual(['b:how_do', 'b:why_do', 'q:how_why', 'u:how', 'u:why'].sort());
    expect(differenceBag(wordTokens('Why do I learn Python?'), wordTokens('How do I learn Python?')).sort()).toEqual(bag);
  });

  it('learns that a swapped pronoun keeps a question and a swapped question word changes it', () => {
    const topics = ['cook rice', 'learn python', 'fix a bike', 'write a book', 'sleep well', 'lose weight', 'save money', 'run faster'];
    const pairs = topics.flatMap((t) => [pair(`How do I ${t}?`, `How do you ${t}?`, true), pair(`How do I ${t}?`, `Why do I ${t}?`, false)]);
    const model = fitDifferenceBag(pairs, { minCount: 3 });
    const same = differenceBagScore(model, wordTokens('How do I paint a wall?'), wordTokens('How do you paint a wall?'));
    const other = differenceBagScore(model, wordTokens('How do I paint a wall?'), wordTokens('Why do I paint a wall?'));
    expect(same).toBeGreaterThan(0);
    expect(other).toBeLessThan(0);
    // Topic words appear in only two pairs each: below minCount, no weight.
    const weights = differenceBagWeights(model);
    expect([...weights.keys()].some((f) => f.includes('rice'))).toBe(false);
    expect(weights.get('u:you')).toBeGreaterThan(0);
    expect(weights.get('q:how_why')).toBeLessThan(0);
    expect(differenceBagScore(model, ['constructor'], ['__proto__'])).toBe(model.bias + (weights.get('q:_') ?? 0));
  });
});
