import { describe, expect, it } from 'vitest';
import type { ChunkDraft } from '../../../core/document.ts';
import { PlumbError } from '../../../core/errors.ts';
import { getTokenizer } from '../../../core/tokenizer.ts';
import { chunkDocument } from './chunk-document.ts';

const tokenizer = getTokenizer('o200k_base');

/** The invariants every chunk list must hold, whatever the input. */
function expectValidChunks(text: string, chunks: ChunkDraft[], maxTokens: number): void {
  let previousStart = -1;
  for (const chunk of chunks) {
    expect(text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
    expect(chunk.text.trim()).not.toBe('');
    expect(chunk.tokenCount).toBe(tokenizer.count(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
    expect(chunk.charStart).toBeGreaterThan(previousStart);
    previousStart = chunk.charStart;
  }
}

/** True when every non-whitespace character of the text lies in some chunk. */
function coversAllText(text: string, chunks: ChunkDraft[]): boolean {
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) covered.fill(1, chunk.charStart, chunk.charEnd);
  for (let i = 0; i < text.length; i++) if (!covered[i] && /\S/.test(text[i] ?? '')) return false;
  return true;
}

const sentences = (n: number, topic: string): string =>
  Array.from({ length: n }, (_, i) => `The ${topic} sentence number ${i} explains one small detail of the system.`).join(' ');

describe('chunkDocument', () => {
  it('keeps a short document in one chunk with an exact token count', () => {
    const text = 'Plumb answers questions from your own documents.';
    const chunks = chunkDocument({ text, mimeType: 'text/plain' });
    expect(chunks).toEqual([{ text, headingPath: [], charStart: 0, charEnd: text.length, tokenCount: tokenizer.count(text) }]);
  });

  it('produces no chunks for empty or whitespace-only text', () => {
    expect(chunkDocument({ text: '', mimeType: 'text/plain' })).toEqual([]);
    expect(chunkDocument({ text: ' \n\n\t \n', mimeType: 'text/markdown' })).toEqual([]);
  });

  it('splits markdown by headings and records the heading path', () => {
    const text = [
      'Preamble before any heading.',
      '# Install',
      'Run the installer.',
      '## From source',
      'Clone the repository and build it.',
      '# Usage',
      'Call plumb ask.',
    ].join('\n\n');
    const chunks = chunkDocument({ text, mimeType: 'text/markdown' });
    expectValidChunks(text, chunks, 512);
    expect(chunks.map((c) => c.headingPath)).toEqual([[], ['Install'], ['Install', 'From source'], ['Usage']]);
    expect(chunks[2]?.text).toBe('## From source\n\nClone the repository and build it.');
  });

  it('joins a heading that only introduces a subheading to that subsection', () => {
    const text = '# Guide\n\n## Setup\n\nInstall it first.\n\n## Run\n\nThen run it.';
    const chunks = chunkDocument({ text, mimeType: 'text/markdown' });
    expect(chunks.map((c) => c.text)).toEqual(['# Guide\n\n## Setup\n\nInstall it first.', '## Run\n\nThen run it.']);
    expect(chunks[0]?.headingPath).toEqual(['Guide', 'Setup']);
  });

  it('treats # lines in plain text as text, not headings', () => {
    const text = '# not a heading in plain text\n\nbody';
    const chunks = chunkDocument({ text, mimeType: 'text/plain' });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.headingPath).toEqual([]);
  });

  it('ignores # lines inside code fences when finding headings', () => {
    const text = '# Real\n\n```sh\n# a shell comment, not a heading\necho hi\n```\n\nAfter the fence.';
    const chunks = chunkDocument({ text, mimeType: 'text/markdown' });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.headingPath).toEqual(['Real']);
  });

  it('packs paragraphs up to maxTokens and never exceeds it', () => {
    const text = Array.from({ length: 30 }, (_, i) => sentences(3, `p${i}`)).join('\n\n');
    const chunks = chunkDocument({ text, mimeType: 'text/plain' }, { maxTokens: 120, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    expectValidChunks(text, chunks, 120);
    expect(coversAllText(text, chunks)).toBe(true);
    // Without overlap, chunks tile the text in order.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.charStart).toBeGreaterThanOrEqual(chunks[i - 1]?.charEnd ?? 0);
    // Packing fills chunks: each chunk holds several paragraphs, not one.
    expect(chunks[0]?.text.split('\n\n').length).toBeGreaterThan(1);
  });

  it('starts each later chunk of a section with whole trailing sentences of the previous one', () => {
    const text = sentences(40, 'overlap');
    const chunks = chunkDocument({ text, mimeType: 'text/plain' }, { maxTokens: 100, overlapTokens: 30 });
    expect(chunks.length).toBeGreaterThan(3);
    expectValidChunks(text, chunks, 100);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1] as ChunkDraft;
      const current = chunks[i] as ChunkDraft;
      expect(current.charStart).toBeLessThan(previous.charEnd);
      const overlap = text.slice(current.charStart, previous.charEnd);
      expect(tokenizer.count(overlap)).toBeLessThanOrEqual(30);
      expect(tokenizer.count(overlap)).toBeGreaterThan(0);
      // Whole sentences: the overlap starts where a sentence starts.
      expect(overlap.startsWith('The overlap sentence number')).toBe(true);
    }
  });

  it('does not overlap across heading sections', () => {
    const text = `# A\n\n${sentences(6, 'alpha')}\n\n# B\n\n${sentences(6, 'beta')}`;
    const chunks = chunkDocument({ text, mimeType: 'text/markdown' }, { maxTokens: 200, overlapTokens: 50 });
    const firstB = chunks.find((c) => c.headingPath[0] === 'B');
    expect(firstB?.text.startsWith('# B')).toBe(true);
  });

  it('splits a too-long sentence by words and a too-long word by characters', () => {
    const longSentence = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const longWord = 'x9Qz'.repeat(500);
    const text = `${longSentence}\n\n${longWord}`;
    const chunks = chunkDocument({ text, mimeType: 'text/plain' }, { maxTokens: 64, overlapTokens: 8 });
    expectValidChunks(text, chunks, 64);
    expect(coversAllText(text, chunks)).toBe(true);
    // Word splits fall on spaces: no chunk of the sentence starts or ends mid-word.
    for (const chunk of chunks.filter((c) => c.charEnd <= longSentence.length)) {
      expect(chunk.text).toMatch(/^word\d+.*word\d+$/s);
      expect(/\w/.test(text[chunk.charEnd] ?? ' ')).toBe(false);
    }
  });

  it('never splits inside a code fence that fits', () => {
    const code = ['```python', ...Array.from({ length: 12 }, (_, i) => `print("line ${i}")`), '', 'done = True', '```'].join('\n');
    const text = `# Code\n\n${sentences(6, 'before')}\n\n${code}\n\n${sentences(6, 'after')}`;
    const chunks = chunkDocument({ text, mimeType: 'text/markdown' }, { maxTokens: 150, overlapTokens: 20 });
    expectValidChunks(text, chunks, 150);
    const fenceStart = text.indexOf('```python');
    const fenceEnd = text.lastIndexOf('```') + 3;
    // Some chunk holds the whole fence, and no chunk starts or ends strictly inside it.
    expect(chunks.some((c) => c.charStart <= fenceStart && c.charEnd >= fenceEnd)).toBe(true);
    for (const chunk of chunks) {
      expect(chunk.charStart > fenceStart && chunk.charStart < fenceEnd).toBe(false);
      expect(chunk.charEnd > fenceStart && chunk.charEnd < fenceEnd).toBe(false);
    }
  });

  it('splits a code fence larger than maxTokens by lines', () => {
    const code = ['```', ...Array.from({ length: 80 }, (_, i) => `const value${i} = compute(${i});`), '```'].join('\n');
    const chunks = chunkDocument({ text: code, mimeType: 'text/markdown' }, { maxTokens: 100, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    expectValidChunks(code, chunks, 100);
    for (const chunk of chunks) expect(code[chunk.charEnd] === undefined || code[chunk.charEnd] === '\n').toBe(true);
  });

  it('keeps offsets exact with emoji and other astral characters, never halving a surrogate pair', () => {
    const emojiRun = '😀👩‍👩‍👧🎉𝒳'.repeat(120);
    const text = `# Émoji 🎉\n\n${sentences(5, 'ünïcödé 😀')}\n\n${emojiRun}\n\n日本語の文です。次の文です。`;
    const chunks = chunkDocument({ text, mimeType: 'text/markdown' }, { maxTokens: 40, overlapTokens: 10 });
    expectValidChunks(text, chunks, 40);
    expect(coversAllText(text, chunks)).toBe(true);
    for (const chunk of chunks) {
      expect(chunk.text).toBe(Buffer.from(chunk.text, 'utf8').toString('utf8'));
      expect(chunk.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it('holds the invariants on HTML-derived text with headings', () => {
    const text = `# Page\n\n${sentences(8, 'intro')}\n\n## Part\n\n- item one\n- item two\n\n${sentences(8, 'part')}`;
    const chunks = chunkDocument({ text, mimeType: 'text/html' }, { maxTokens: 80, overlapTokens: 16 });
    expectValidChunks(text, chunks, 80);
    expect(chunks.some((c) => c.headingPath.join('/') === 'Page/Part')).toBe(true);
  });

  it('counts with the configured encoding', () => {
    const text = sentences(3, 'encoding');
    const [chunk] = chunkDocument({ text, mimeType: 'text/plain' }, { encoding: 'cl100k_base' });
    expect(chunk?.tokenCount).toBe(getTokenizer('cl100k_base').count(text));
  });

  it('rejects settings that cannot work with an invalid_config error', () => {
    const doc = { text: 'x', mimeType: 'text/plain' };
    expect(() => chunkDocument(doc, { maxTokens: 4 })).toThrow(PlumbError);
    expect(() => chunkDocument(doc, { maxTokens: 100, overlapTokens: 100 })).toThrow(/overlapTokens/);
    expect(() => chunkDocument(doc, { maxTokens: 100.5 })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });

  it('holds the invariants on randomly assembled documents', () => {
    // A seeded generator: failures reproduce.
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
    const pieces = [
      () => `${'#'.repeat(1 + Math.floor(random() * 3))} Heading ${Math.floor(random() * 100)}`,
      () => sentences(1 + Math.floor(random() * 12), pick(['alpha', 'béta', 'γάμμα', '😀 emoji'])),
      () => '```\n' + Array.from({ length: 1 + Math.floor(random() * 30) }, (_, i) => `code(${i});`).join('\n') + '\n```',
      () => Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => `- item ${i} with a few words`).join('\n'),
      () => 'z'.repeat(1 + Math.floor(random() * 900)),
      () => '   \n  ',
    ];
    for (let round = 0; round < 40; round++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(pieces)()).join(pick(['\n\n', '\n', '\n\n\n']));
      const maxTokens = pick([16, 40, 100, 512]);
      const overlapTokens = Math.floor(random() * (maxTokens / 2));
      const mimeType = pick(['text/markdown', 'text/plain', 'text/html']);
      const chunks = chunkDocument({ text, mimeType }, { maxTokens, overlapTokens });
      expectValidChunks(text, chunks, maxTokens);
      expect(coversAllText(text, chunks)).toBe(true);
    }
  });
});
