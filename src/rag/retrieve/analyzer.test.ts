import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.ts';

describe('createAnalyzer', () => {
  it('lowercases and splits on anything that is not a letter or digit, keeping digits and non-Latin words', () => {
    const analyze = createAnalyzer();
    expect(analyze('IL-6 levels rose 3.5-fold in Zürich; 東京 too!')).toEqual([
      'il', '6', 'levels', 'rose', '3', '5', 'fold', 'in', 'zürich', '東京', 'too',
    ]);
  });

  it('drops Lucene English stopwords only when asked', () => {
    expect(createAnalyzer({ stopwords: true })('The cell is in the nucleus')).toEqual(['cell', 'nucleus']);
    expect(createAnalyzer()('The cell')).toEqual(['the', 'cell']);
  });

  it('Porter-stems when asked, so inflections meet', () => {
    const analyze = createAnalyzer({ stem: true });
    expect(analyze('running runs')).toEqual(['run', 'run']);
    expect(analyze('mutations')).toEqual(analyze('mutation'));
  });

  it('returns nothing for text without words', () => {
    expect(createAnalyzer()(' -- !! ')).toEqual([]);
  });
});
