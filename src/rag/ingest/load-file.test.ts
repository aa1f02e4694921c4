import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from './load-file.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('loadFile', () => {
  it('loads a text file as text/plain with CRLF normalised and the BOM removed', async () => {
    const file = write('notes.txt', '\uFEFFline one\r\nline two\r\n');
    const result = await loadFile(file);
    expect(result).toEqual({
      ok: true,
      documents: [{ source: file, text: 'line one\nline two\n', mimeType: 'text/plain', metadata: {} }],
      warnings: [],
    });
  });

  it('loads .markdown and .htm through their loaders and takes an explicit source', async () => {
    const md = await loadFile(write('guide.markdown', '# Guide\n\nText.'), { source: 'docs/guide.markdown' });
    expect(md.ok && md.documents[0]).toMatchObject({ title: 'Guide', mimeType: 'text/markdown', source: 'docs/guide.markdown' });
    const html = await loadFile(write('page.htm', '<title>Page</title><p>Hello page.</p>'));
    expect(html.ok && html.documents[0]).toMatchObject({ title: 'Page', mimeType: 'text/html', text: 'Hello page.' });
  });

  it('skips an unknown extension as unsupported_type', async () => {
    const result = await loadFile(write('image.png', 'not really'));
    expect(result).toMatchObject({ ok: false, reason: 'unsupported_type' });
    if (!result.ok) expect(result.message).toContain('.md');
  });

  it('skips a file with NUL bytes as binary', async () => {
    const result = await loadFile(write('blob.txt', new Uint8Array([0x68, 0x69, 0x00, 0x01, 0x02])));
    expect(result).toMatchObject({ ok: false, reason: 'binary' });
  });

  it('points UTF-16 files at a conversion', async () => {
    const result = await loadFile(write('utf16.txt', Buffer.from('\uFEFFhello', 'utf16le')));
    expect(result).toMatchObject({ ok: false, reason: 'binary' });
    if (!result.ok) expect(result.message).toMatch(/UTF-16/);
  });

  it('skips bytes that are not UTF-8 as invalid_utf8', async () => {
    const latin1 = Buffer.from('caf\xe9 cr\xe8me', 'latin1');
    const result = await loadFile(write('latin1.md', latin1));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_utf8' });
  });

  it('skips empty and whitespace-only files as empty', async () => {
    expect(await loadFile(write('zero.txt', ''))).toMatchObject({ ok: false, reason: 'empty' });
    expect(await loadFile(write('spaces.md', '  \n\n\t\n'))).toMatchObject({ ok: false, reason: 'empty' });
    expect(await loadFile(write('only-front-matter.md', '---\ntitle: x\n---\n'))).toMatchObject({ ok: false, reason: 'empty' });
    expect(await loadFile(write('chrome-only.html', '<nav>menu</nav><footer>f</footer>'))).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('skips files over maxFileBytes as too_large without reading them', async () => {
    const file = write('big.txt', 'x'.repeat(2048));
    const result = await loadFile(file, { maxFileBytes: 1024 });
    expect(result).toMatchObject({ ok: false, reason: 'too_large' });
    if (!result.ok) expect(result.message).toMatch(/2\.0 KB, over the 1\.0 KB limit/);
    expect((await loadFile(file)).ok).toBe(true);
  });

  it('reports a file removed after discovery as missing', async () => {
    const file = write('gone.md', '# soon gone');
    fs.rmSync(file);
    expect(await loadFile(file)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await loadFile(path.join(dir, 'gone.jsonl'))).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('reports a directory with a supported-looking name as unreadable', async () => {
    const folder = path.join(dir, 'folder.md');
    fs.mkdirSync(folder);
    expect(await loadFile(folder)).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('reports malformed JSON as malformed', async () => {
    const result = await loadFile(write('broken.json', '{"text": "unterminated'));
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
