import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../load-file.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const SCIFACT = '/work/shared/datasets/scifact/corpus.jsonl';

describe('JSONL loader', () => {
  it('turns each line into a document with id, title, source file#id and primitive metadata', async () => {
    const file = write('corpus.jsonl', [
      JSON.stringify({ _id: 'd1', title: 'First', text: 'Alpha text.', year: 2020, open: true, tags: ['x'], nested: { a: 1 } }),
      JSON.stringify({ id: 7, content: 'Beta text.', lang: null }),
      JSON.stringify({ body: 'Gamma text without an id.' }),
    ].join('\n'));
    const result = await loadFile(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.documents).toEqual([
      { id: 'd1', source: `${file}#d1`, title: 'First', text: 'Alpha text.', mimeType: 'text/plain', metadata: { year: 2020, open: true } },
      { id: '7', source: `${file}#7`, text: 'Beta text.', mimeType: 'text/plain', metadata: { lang: null } },
      { source: `${file}#line-3`, text: 'Gamma text without an id.', mimeType: 'text/plain', metadata: {} },
    ]);
  });

  it('skips bad lines with their line numbers as warnings and loads the rest', async () => {
    const file = write('mixed.jsonl', [
      '{"id": "a", "text": "good one"}',
      '{"id": "b", "text": ',
      '',
      '[1, 2, 3]',
      '{"id": "c", "title": "no text"}',
      '{"id": "a", "text": "duplicate id"}',
      '{"id": "d", "text": "good two"}',
    ].join('\r\n'));
    const result = await loadFile(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.documents.map((d) => d.id)).toEqual(['a', 'd']);
    expect(result.warnings).toHaveLength(4);
    expect(result.warnings[0]).toMatch(/^line 2: invalid JSON/);
    expect(result.warnings[1]).toMatch(/^line 4: not a JSON object/);
    expect(result.warnings[2]).toMatch(/^line 5: no text field \(looked for text, content, body\)/);
    expect(result.warnings[3]).toMatch(/^line 6: duplicate id "a" \(first seen on line 1\)/);
  });

  it('uses the configured text, id and title fields', async () => {
    const file = write('custom.jsonl', '{"key": "k1", "heading": "H", "passage": "The passage.", "text": "not this"}\n');
    const result = await loadFile(file, { records: { textField: 'passage', idField: ['key'], titleField: 'heading' } });
    expect(result.ok && result.documents[0]).toMatchObject({ id: 'k1', title: 'H', text: 'The passage.', metadata: { text: 'not this' } });
  });

  it('is malformed when no line is a usable record, empty when there are no lines', async () => {
    expect(await loadFile(write('all-bad.jsonl', 'nope\n{"x": 1}\n'))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await loadFile(write('blank.jsonl', '\n\n  \n'))).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('reports binary and non-UTF-8 JSONL files', async () => {
    expect(await loadFile(write('nul.jsonl', new Uint8Array([0x7b, 0x00, 0x7d])))).toMatchObject({ ok: false, reason: 'binary' });
    const bad = Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    expect(await loadFile(write('latin1.jsonl', bad))).toMatchObject({ ok: false, reason: 'invalid_utf8' });
  });

  it('loads the SciFact corpus as 5,183 documents with ids and titles', async () => {
    const started = performance.now();
    const result = await loadFile(SCIFACT);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.documents).toHaveLength(5183);
    expect(result.warnings).toEqual([]);
    expect(result.documents.every((d) => d.id && d.title && d.text.length > 0)).toBe(true);
    expect(result.documents[0]?.source).toBe(`${SCIFACT}#${result.documents[0]?.id}`);
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('JSON loader', () => {
  it('loads an array of records, warning about unusable items', async () => {
    const file = write('records.json', JSON.stringify([{ id: 'x', text: 'one' }, 'stray', { id: 'y', text: 'two', rank: 2 }]));
    const result = await loadFile(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.documents.map((d) => [d.id, d.source, d.metadata])).toEqual([
      ['x', `${file}#x`, {}],
      ['y', `${file}#y`, { rank: 2 }],
    ]);
    expect(result.warnings).toEqual(['item 1: not a JSON object; skipped it']);
  });

  it('loads one object as one document whose source is the file when it has no id', async () => {
    const file = write('single.json', JSON.stringify({ title: 'Solo', text: 'Only record.' }));
    expect(await loadFile(file)).toMatchObject({ ok: true, documents: [{ source: file, title: 'Solo', text: 'Only record.' }] });
  });

  it('is malformed when the object has no text', async () => {
    expect(await loadFile(write('notext.json', '{"title": "t"}'))).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
