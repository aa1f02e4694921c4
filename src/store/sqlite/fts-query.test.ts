import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './fts-query.ts';

describe('toFtsQuery', () => {
  it('quotes each word and ORs them, lower-cased and de-duplicated', () => {
    expect(toFtsQuery('Quick AND quick NEAR(fox*) "x')).toBe('"quick" OR "and" OR "near" OR "fox" OR "x"');
  });

  it('keeps letters with diacritics and digits together', () => {
    expect(toFtsQuery('café 2024 naïve')).toBe('"café" OR "2024" OR "naïve"');
  });

  it('returns null when nothing searchable is left', () => {
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery(' 🎸 *() "" ')).toBeNull();
  });

  it('caps very long queries', () => {
    const long = Array.from({ length: 500 }, (_, i) => `w${i}`).join(' ');
    expect(toFtsQuery(long)?.split(' OR ')).toHaveLength(64);
  });
});
