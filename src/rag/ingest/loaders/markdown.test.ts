import { describe, expect, it } from 'vitest';
import { firstH1, markdownDocument } from './markdown.ts';

describe('markdown loader', () => {
  it('moves YAML front matter into metadata and takes the title from it', () => {
    const text = '---\ntitle: Release Notes\ntags: [a, b]\ndate: 2024-05-01\ndraft: false\n---\n# Heading Title\n\nBody.';
    const { document, warnings } = markdownDocument(text, 'notes.md');
    expect(warnings).toEqual([]);
    expect(document.title).toBe('Release Notes');
    expect(document.text).toBe('# Heading Title\n\nBody.');
    expect(document.metadata).toEqual({ tags: ['a', 'b'], date: '2024-05-01', draft: false });
    expect(document.mimeType).toBe('text/markdown');
  });

  it('takes the title from the first # heading outside code fences', () => {
    const text = 'Intro\n\n```sh\n# not this one\n```\n\n## Sub\n\n# The Title #\n\ntext';
    expect(firstH1(text)).toBe('The Title');
    expect(markdownDocument(text, 'a.md').document.title).toBe('The Title');
  });

  it('keeps invalid front matter as text and warns', () => {
    const text = '---\ntitle: [unclosed\n---\nBody';
    const { document, warnings } = markdownDocument(text, 'bad.md');
    expect(document.text).toBe(text);
    expect(warnings[0]).toMatch(/front matter is not valid YAML/);
  });

  it('leaves a document without a title untitled', () => {
    expect(markdownDocument('just text', 'plain.md').document.title).toBeUndefined();
  });
});
