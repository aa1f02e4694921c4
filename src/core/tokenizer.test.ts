import { describe, expect, it } from 'vitest';
import { getTokenizer, isTokenizerLoaded } from './tokenizer.ts';

describe('getTokenizer', () => {
  // Runs in a fresh test-file module graph: nothing has counted tokens yet.
  it('loads an encoding only when it is first used, then counts real BPE tokens', () => {
    const cl100k = getTokenizer('cl100k_base');
    expect(isTokenizerLoaded('cl100k_base')).toBe(false);
    expect(cl100k.count('hello world')).toBe(2);
    expect(isTokenizerLoaded('cl100k_base')).toBe(true);
  });

  it('encodes and decodes round trip with o200k_base by default', () => {
    const tokenizer = getTokenizer();
    expect(tokenizer.encoding).toBe('o200k_base');
    const text = 'Chunk sizes are measured in BPE tokens.';
    const tokens = tokenizer.encode(text);
    expect(tokens.length).toBe(tokenizer.count(text));
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokenizer.decode(tokens)).toBe(text);
  });
});
