import { describe, expect, it } from 'vitest';
import { LEXICAL_FEATURE_NAMES, lexicalPairFeatures } from './lexical-features.ts';
import { textProfile, type Lexicon } from './verifier-features.ts';
import { fitWordIdf, WordIdf } from './word-idf.ts';

// A tiny lexicon: no word has a vector, so alignment features read 0 and only the lexical ones vary.
const lexicon: Lexicon = { size: 10, rowOfWord: () => -1, vector: () => new Float32Array(0) };
const idf = new WordIdf(fitWordIdf([['How do I learn Python?'], ['How do I learn Java?'], ['What is the best way to cook rice?'], ['How do I cook pasta?']]));

function features(a: string, b: string): Record<string, number> {
  const x = lexicalPairFeatures(textProfile(a, lexicon), textProfile(b, lexicon), idf);
  expect(x).toHaveLength(LEXICAL_FEATURE_NAMES.length);
  return Object.fromEntries(LEXICAL_FEATURE_NAMES.map((n, j) => [n, x[j]!]));
}

describe('lexical pair features', () => {
  it('see the same core question behind different ways of asking', () => {
    const f = features('How do I learn Python?', 'What is the best way to learn Python?');
    expect(f['core_equal']).toBe(1);
    expect(f['core_idf_jaccard']).toBe(1);
    expect(features('How do I learn Python?', 'How do I learn Java?')['core_equal']).toBe(0);
  });

  it('weigh a differing rare word above a differing common one', () => {
    const rare = features('How do I learn Python?', 'How do I learn Java?');
    const common = features('How do I learn Python?', 'How can I learn Python?');
    expect(rare['idf_unshared_max']).toBeGreaterThan(common['idf_unshared_max']!);
    expect(rare['idf_cosine']).toBeLessThan(common['idf_cosine']!);
    expect(rare['idf_content_jaccard']).toBeLessThan(1);
    expect(common['idf_content_jaccard']).toBe(1);
  });

  it('notice swapped word order and changed pronouns', () => {
    const swapped = features('How is Messi better than Ronaldo?', 'How is Ronaldo better than Messi?');
    expect(swapped['bag_equal']).toBe(1);
    expect(swapped['shared_order']).toBeLessThan(0.7);
    expect(features('How is Messi better than Ronaldo?', 'How is Messi better than Ronaldo?')['shared_order']).toBe(1);
    expect(features('How do I cook rice?', 'How do you cook rice?')['pronouns_differ']).toBe(1);
    expect(features('How do I cook rice?', 'How can I cook rice?')['pronouns_differ']).toBe(0);
  });

  it('compare spelling below the word', () => {
    const same = features('iPhone 6 battery life', 'iPhone 6 battery life');
    expect(same['char_cosine']).toBeCloseTo(1, 6);
    const close = features('iPhone 6 battery life', 'iPhone 6s battery life');
    expect(close['char_cosine']).toBeGreaterThan(0.8);
    expect(close['char_cosine']).toBeLessThan(1);
    expect(features('iPhone 6 battery life', 'cheap flights to Rome')['char3_jaccard']).toBeLessThan(0.1);
  });
});
