import { describe, expect, it } from 'vitest';
import { loadText } from './load-text.ts';

describe('loadText', () => {
  it('makes a plain-text document with source "api" by default', () => {
    expect(loadText({ text: 'Posted text.', title: 'T', id: 'doc-1' })).toEqual({
      ok: true,
      documents: [{ id: 'doc-1', title: 'T', source: 'api', text: 'Posted text.', mimeType: 'text/plain', metadata: {} }],
      warnings: [],
    });
  });

  it('runs markdown and HTML through their loaders', () => {
    const md = loadText({ text: '---\nauthor: Ann\n---\n# Heading\n\nBody', mimeType: 'text/markdown; charset=utf-8' });
    expect(md.ok && md.documents[0]).toMatchObject({ title: 'Heading', metadata: { author: 'Ann' }, text: '# Heading\n\nBody' });
    const html = loadText({ text: '<h1>Page</h1><p>Para</p>', mimeType: 'text/html', source: 'upload' });
    expect(html.ok && html.documents[0]).toMatchObject({ title: 'Page', source: 'upload', text: '# Page\n\nPara' });
  });

  it('applies the same empty and size checks as files', () => {
    expect(loadText({ text: '  \n ' })).toMatchObject({ ok: false, reason: 'empty' });
    expect(loadText({ text: 'é'.repeat(600) }, { maxFileBytes: 1000 })).toMatchObject({ ok: false, reason: 'too_large' });
    expect(loadText({ text: 'é'.repeat(400) }, { maxFileBytes: 1000 }).ok).toBe(true);
  });

  it('rejects a MIME type it cannot take as text', () => {
    expect(loadText({ text: '%PDF-1.4', mimeType: 'application/pdf' })).toMatchObject({ ok: false, reason: 'unsupported_type' });
  });
});

describe('loadText without a mimeType', () => {
  it('reads text with markdown headings as markdown, and other text as plain', () => {
    const md = loadText({ text: '# Setup\n\nRun the installer.' });
    const plain = loadText({ text: 'Run the installer. #1 tip: read the docs.' });
    expect(md.ok && md.documents[0]!.mimeType).toBe('text/markdown');
    expect(md.ok && md.documents[0]!.title).toBe('Setup');
    expect(plain.ok && plain.documents[0]!.mimeType).toBe('text/plain');
  });
});
