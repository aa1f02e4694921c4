import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';
import { contentTerms } from './content-terms.ts';

const texts = (input: string): string[] => splitSentences(input).map((s) => s.text);

describe('splitSentences', () => {
  it('splits plain prose and keeps offsets into the input', () => {
    const input = 'Paris is the capital of France.  It has 2.1 million people! Is it big? Yes.';
    const sentences = splitSentences(input);
    expect(sentences.map((s) => s.text)).toEqual([
      'Paris is the capital of France.',
      'It has 2.1 million people!',
      'Is it big?',
      'Yes.',
    ]);
    for (const s of sentences) expect(input.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not split after abbreviations, initials or inside decimals', () => {
    expect(texts('Use a fruit, e.g. Apples or pears. Dr. Smith agreed with J. R. Tolkien.')).toEqual([
      'Use a fruit, e.g. Apples or pears.',
      'Dr. Smith agreed with J. R. Tolkien.',
    ]);
    expect(texts('See Fig. 2 for details. The rate was 3.5 per cent vs. 4.1 in the U.S. Army.')).toEqual([
      'See Fig. 2 for details.',
      'The rate was 3.5 per cent vs. 4.1 in the U.S. Army.',
    ]);
    expect(texts('The mean was approx. three days, i.e. short. Next one.')).toEqual([
      'The mean was approx. three days, i.e. short.',
      'Next one.',
    ]);
  });

  it('ends a sentence after "etc." or "et al." only when a capital follows', () => {
    expect(texts('Bring apples, pears, etc. Then leave. Smith et al. reported it.')).toEqual([
      'Bring apples, pears, etc.',
      'Then leave.',
      'Smith et al. reported it.',
    ]);
  });

  it('keeps URLs, file names and inline code whole', () => {
    expect(texts('Read https://example.com/docs/v1.2/index.html first. Then run `a.b(). Go()` now. Edit config.yaml. Done.')).toEqual([
      'Read https://example.com/docs/v1.2/index.html first.',
      'Then run `a.b(). Go()` now.',
      'Edit config.yaml.',
      'Done.',
    ]);
  });

  it('keeps a citation written after the full stop with its sentence', () => {
    expect(texts('It spreads by droplets. [3] Masks help [4, 5]. Done.')).toEqual([
      'It spreads by droplets. [3]',
      'Masks help [4, 5].',
      'Done.',
    ]);
  });

  it('handles quotes and brackets after the mark', () => {
    expect(texts('He said "stop." She left. (It was late.) Then quiet.')).toEqual([
      'He said "stop."',
      'She left.',
      '(It was late.)',
      'Then quiet.',
    ]);
  });

  it('makes markdown headings, list items and code blocks their own units', () => {
    const input = [
      '# Install',
      'Run the installer. It takes a minute.',
      '',
      '- First item. Has two sentences.',
      '- Second item without a full stop',
      '1. Numbered item.',
      '',
      '```ts',
      'const x = 1. toString(); // not. A sentence.',
      '```',
      'After the code.',
    ].join('\n');
    const sentences = splitSentences(input);
    expect(sentences.map((s) => [s.kind, s.text])).toEqual([
      ['heading', 'Install'],
      ['prose', 'Run the installer.'],
      ['prose', 'It takes a minute.'],
      ['list-item', 'First item.'],
      ['list-item', 'Has two sentences.'],
      ['list-item', 'Second item without a full stop'],
      ['list-item', 'Numbered item.'],
      ['code', '```ts\nconst x = 1. toString(); // not. A sentence.\n```'],
      ['prose', 'After the code.'],
    ]);
    for (const s of sentences) expect(input.slice(s.start, s.end)).toBe(s.text);
  });

  it('joins wrapped lines of one paragraph and separates paragraphs', () => {
    expect(texts('A sentence that wraps\nonto a second line. Another\n\nNew paragraph')).toEqual([
      'A sentence that wraps\nonto a second line.',
      'Another',
      'New paragraph',
    ]);
  });

  it('returns nothing for empty or blank input', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n \t')).toEqual([]);
  });

  it('treats an ellipsis before a capital as an end and before lowercase as a pause', () => {
    expect(texts('Wait... Then go. Well... maybe not.')).toEqual(['Wait...', 'Then go.', 'Well... maybe not.']);
  });
});

describe('contentTerms', () => {
  it('drops function words and single letters, stems words, keeps numbers', () => {
    expect(contentTerms('What is the main cause of HIV-1 infections in children?')).toEqual([
      'main', 'caus', 'hiv', '1', 'infect', 'children',
    ]);
    expect(contentTerms('COVID-19 was infecting 400,000 people')).toEqual(['covid', '19', 'infect', '400', '000', 'peopl']);
  });
});
