import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../load-file.ts';
import { minimalPdf } from '../test-fixtures/minimal-pdf.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('PDF loader', () => {
  it('extracts the text layer, joins pages with blank lines and records the page count', async () => {
    const file = write('two-pages.pdf', minimalPdf(['Hello from page one.', 'Second page (with parentheses).'], 'A Tiny Report'));
    const result = await loadFile(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [doc] = result.documents;
    expect(doc?.text).toBe('Hello from page one.\n\nSecond page (with parentheses).');
    expect(doc?.mimeType).toBe('application/pdf');
    expect(doc?.title).toBe('A Tiny Report');
    expect(doc?.metadata).toEqual({ pageCount: 2, pageStarts: [0, 22] });
    expect(doc?.text.slice(22).startsWith('Second page')).toBe(true);
  });

  it('reports a corrupt PDF as malformed instead of throwing', async () => {
    const valid = minimalPdf(['Some text']);
    const file = write('corrupt.pdf', valid.slice(0, 120));
    const result = await loadFile(file);
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    if (!result.ok) expect(result.message).toMatch(/PDF could not be read/);
  });

  it('reports a file that is not a PDF at all as malformed', async () => {
    const result = await loadFile(write('not-really.pdf', 'just some text pretending'));
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('reports a PDF without a text layer as empty', async () => {
    const result = await loadFile(write('blank.pdf', minimalPdf([''])));
    expect(result).toMatchObject({ ok: false, reason: 'empty' });
    if (!result.ok) expect(result.message).toMatch(/OCR/);
  });
});
