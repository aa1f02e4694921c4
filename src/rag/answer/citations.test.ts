import { describe, expect, it } from 'vitest';
import { extractCitations, MAX_SNIPPET_CHARS, parseCitationMarkers, stripCitationMarkers } from './citations.ts';
import type { CitablePassage } from './prompt-builder.ts';

const passage = (n: number, text: string, charStart = 0): CitablePassage => ({
  n,
  chunkId: `chunk-${n}`,
  documentId: `doc-${n}`,
  title: `Doc ${n}`,
  text,
  source: `docs/${n}.md`,
  charStart,
  charEnd: charStart + text.length,
  truncated: false,
});

const passages = [
  passage(1, 'Paris is the capital of France. The Seine flows through Paris.', 1000),
  passage(2, 'The Eiffel Tower was completed in 1889. It is 330 metres tall.', 50),
  passage(3, 'Lyon is known for its cuisine.'),
];

describe('parseCitationMarkers', () => {
  it('reads single, listed, adjacent and ranged markers', () => {
    const text = 'A [1]. B [2, 3]. C [1][3]. D [1-3]. E [2–3]. F [1; 2].';
    expect(parseCitationMarkers(text).map((m) => m.numbers)).toEqual([[1], [2, 3], [1], [3], [1, 2, 3], [2, 3], [1, 2]]);
    const first = parseCitationMarkers(text)[0]!;
    expect(text.slice(first.start, first.end)).toBe('[1]');
  });

  it('ignores brackets that are not numeric citations and never expands absurd ranges', () => {
    expect(parseCitationMarkers('See [the docs](x) and [a1] or [1a] and [ ].')).toEqual([]);
    expect(parseCitationMarkers('In [1-400] and [5-2].').map((m) => m.numbers)).toEqual([[1, 400], [5, 2]]);
  });
});

describe('stripCitationMarkers', () => {
  it('removes markers and the space before punctuation they leave', () => {
    expect(stripCitationMarkers('Paris is the capital [1]. It is old [1, 2][3].')).toBe('Paris is the capital. It is old.');
  });
});

describe('extractCitations', () => {
  it('maps markers to passages in order of first use with the supporting sentence as snippet', () => {
    const answer = 'The Eiffel Tower is 330 metres tall [2]. Paris is the capital of France [1]. It is tall [2].';
    const { citations, invalidCitations } = extractCitations(answer, passages);
    expect(invalidCitations).toEqual([]);
    expect(citations.map((c) => c.n)).toEqual([2, 1]);
    const [tower, capital] = citations;
    expect(tower).toMatchObject({ chunkId: 'chunk-2', documentId: 'doc-2', title: 'Doc 2', source: 'docs/2.md', snippet: 'It is 330 metres tall.' });
    // Offsets point into the document: passage 2 starts at 50, its second sentence 40 characters in.
    expect(tower!.charStart).toBe(50 + passages[1]!.text.indexOf('It is 330'));
    expect(tower!.charEnd - tower!.charStart).toBe(tower!.snippet.length);
    expect(capital!.snippet).toBe('Paris is the capital of France.');
    expect(capital!.charStart).toBe(1000);
  });

  it('flags numbers that name no passage, once each, and still maps the valid ones', () => {
    const { citations, invalidCitations } = extractCitations('Lyon has good food [3][7]. Also [0, 7] and [4-5].', passages);
    expect(citations.map((c) => c.n)).toEqual([3]);
    expect(invalidCitations).toEqual([7, 0, 4, 5]);
  });

  it('returns nothing for an answer without markers', () => {
    expect(extractCitations('I could not find an answer to that in the indexed documents.', passages)).toEqual({
      citations: [],
      invalidCitations: [],
    });
  });

  it('keeps snippets short, as a prefix of the sentence so offsets stay exact', () => {
    const long = `${'word '.repeat(120)}end.`;
    const { citations } = extractCitations('Words [1].', [passage(1, long, 10)]);
    const snippet = citations[0]!.snippet;
    expect(snippet.length).toBeLessThanOrEqual(MAX_SNIPPET_CHARS);
    expect(long.startsWith(snippet)).toBe(true);
    expect(citations[0]!.charEnd).toBe(10 + snippet.length);
  });
});
