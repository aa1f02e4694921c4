import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from './discover-files.ts';

let root: string;

function write(relative: string, content = 'text'): void {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
  write('README.md');
  write('guide/intro.md');
  write('guide/deep/notes.txt');
  write('guide/page.html');
  write('guide/drafts/wip.md');
  write('data/corpus.jsonl');
  write('data/debug.log');
  write('build/out.md');
  write('build/more/out2.md');
  write('secret.md');
  write('keep/skip.txt');
  write('keep/keep.txt');
  write('image.png');
  write('big.txt', 'x'.repeat(5000));
  write('node_modules/pkg/readme.md');
  write('.hidden/notes.md');
  write('.git/HEAD.md');
  write('.gitignore', 'build/\n*.log\n');
  write('.plumbignore', 'secret.md\n');
  write('keep/.gitignore', '*.txt\n!keep.txt\n');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const relative = (files: Array<{ path: string }>): string[] => files.map((f) => path.relative(root, f.path).split(path.sep).join('/'));

describe('discoverFiles', () => {
  it('walks a directory, honouring ignore files and skipping node_modules, .git and hidden files', async () => {
    const { files, skipped } = await discoverFiles([root], { maxFileBytes: 1000 });
    expect(relative(files)).toEqual([
      'README.md',
      'data/corpus.jsonl',
      'guide/deep/notes.txt',
      'guide/drafts/wip.md',
      'guide/intro.md',
      'guide/page.html',
      'keep/keep.txt',
    ]);
    expect(files.every((f) => path.isAbsolute(f.path) && f.size === 4)).toBe(true);
    const reasons = Object.fromEntries(skipped.map((s) => [path.relative(root, s.path).split(path.sep).join('/'), s.reason]));
    expect(skipped.find((s) => s.path.endsWith('build/'))?.message).toMatch(/^directory matched/);
    expect(reasons).toEqual({
      'big.txt': 'too_large',
      'image.png': 'unsupported_type',
      // An ignored directory is reported once, not file by file.
      build: 'ignored',
      'data/debug.log': 'ignored',
      'secret.md': 'ignored',
      'keep/skip.txt': 'ignored',
    });
  });

  it('applies include globs and gitignore-style excludes', async () => {
    const { files } = await discoverFiles([root], { include: ['**/*.md'], exclude: ['drafts/'] });
    expect(relative(files)).toEqual(['README.md', 'guide/intro.md']);
  });

  it('ignores nothing extra when ignore files are turned off', async () => {
    const { files } = await discoverFiles([path.join(root, 'build')], { respectIgnoreFiles: false });
    expect(relative(files)).toEqual(['build/more/out2.md', 'build/out.md']);
  });

  it('takes explicitly named files whatever the rules, once each, and reports missing paths', async () => {
    const secret = path.join(root, 'secret.md');
    const { files, skipped } = await discoverFiles([secret, secret, path.join(root, 'guide'), path.join(root, 'nope')]);
    expect(relative(files)).toEqual(['guide/deep/notes.txt', 'guide/drafts/wip.md', 'guide/intro.md', 'guide/page.html', 'secret.md']);
    expect(skipped).toEqual([{ path: path.join(root, 'nope'), reason: 'missing', message: expect.stringContaining('does not exist') }]);
  });

  it('includes hidden files when asked', async () => {
    const { files } = await discoverFiles([root], { includeHidden: true, include: ['**/*.md'] });
    expect(relative(files)).toContain('.hidden/notes.md');
    expect(relative(files)).not.toContain('.git/HEAD.md');
  });
});
