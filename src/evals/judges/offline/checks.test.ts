import { describe, expect, it } from 'vitest';
import { entityIndex, extractEntities, mentionsEntity } from '../../../text/entities.ts';
import { checkNumbers, extractNumbers } from '../../../text/numbers.ts';
import { polarityConflict, polarityWords } from '../../../text/polarity.ts';

describe('numbers', () => {
  it('reads currency, separators, scale words, percents and years as values', () => {
    const found = extractNumbers('$ 181,674,817 and 1.5 million people, 20%, 20 percent, in 1998');
    expect(found.map((n) => [n.value, n.kind])).toEqual([
      [181674817, 'money'],
      [1500000, 'plain'],
      [20, 'percent'],
      [20, 'percent'],
      [1998, 'year'],
    ]);
    expect(extractNumbers('covid19 and H1N1')).toEqual([]);
  });

  it('treats spelled counts as derived: absent is fine, a different spelled count conflicts', () => {
    const evidence = extractNumbers('Veeram is a 2014 film. Veeram is a 2016 film.');
    expect(checkNumbers(extractNumbers('two films'), evidence)).toEqual({ matched: [], conflicting: [], missing: [] });
    expect(checkNumbers(extractNumbers('seven films'), extractNumbers('three films')).conflicting).toHaveLength(1);
  });

  it('matches within the written precision and flags a different number of the same kind', () => {
    const evidence = extractNumbers('grossed $ 181,674,817 in 2006');
    expect(checkNumbers(extractNumbers('$182 million'), evidence).matched).toHaveLength(1);
    expect(checkNumbers(extractNumbers('over $181 million'), evidence).matched).toHaveLength(1);
    expect(checkNumbers(extractNumbers('$183 million'), evidence).conflicting).toHaveLength(1);
    expect(checkNumbers(extractNumbers('$181,000,000'), evidence).conflicting).toHaveLength(1);
    expect(checkNumbers(extractNumbers('in 2007'), evidence).conflicting[0]!.evidence.text).toBe('2006');
    expect(checkNumbers(extractNumbers('20%'), evidence).missing).toHaveLength(1);
  });
});

describe('entities', () => {
  it('finds multi-word names and acronyms, not sentence-initial words', () => {
    const names = extractEntities('Critics say the Walt Disney Company met NASA and the U.S. Army in Bank of America Plaza.').map((e) => e.text);
    expect(names).toEqual(['Walt Disney Company', 'NASA', 'U.S Army', 'Bank of America Plaza']);
  });

  it('checks every word of a name against a text, acronyms against initials, demonyms by prefix', () => {
    const index = entityIndex("Disney's studio hired the band of the United States Army in Indonesia.");
    const [disney, army, nasa] = extractEntities('He met Walt Disney, the U.S. Army and NASA.');
    expect(mentionsEntity(index, army!)).toBe(true);
    expect(mentionsEntity(index, disney!)).toBe(false);
    expect(mentionsEntity(index, nasa!)).toBe(false);
    const [usa, indonesian, austrian] = extractEntities('He left the USA for an Indonesian town and then an Austrian one.');
    expect(mentionsEntity(index, usa!)).toBe(true);
    expect(mentionsEntity(index, indonesian!)).toBe(true);
    expect(mentionsEntity(entityIndex('He lives in Australia.'), austrian!)).toBe(false);
  });
});

describe('polarity', () => {
  it('flags negation parity and antonyms, not agreement', () => {
    expect(polarityConflict(polarityWords("The film wasn't released."), polarityWords('The film was released.'))).toMatch(/claim negates/);
    expect(polarityConflict(polarityWords('Profits rose.'), polarityWords('Profits fell sharply.'))).toMatch(/"rose".*"fell"/);
    expect(polarityConflict(polarityWords('It never rained.'), polarityWords('It did not rain.'))).toBeNull();
    expect(polarityConflict(polarityWords('Profits rose and costs fell.'), polarityWords('Profits rose while costs fell.'))).toBeNull();
    // A negation elsewhere in the evidence is about something else.
    expect(polarityConflict(polarityWords('Eugene will host the 2021 championships.'), polarityWords('Eugene will host the 2021 championships. It never hosted them before.'))).toBeNull();
  });
});
