/**
 * .gitignore and .plumbignore rules of a directory tree, applied the way git does: each file's
 * rules are relative to its own directory, and deeper files can re-include with `!pattern`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';

export const IGNORE_FILE_NAMES = ['.gitignore', '.plumbignore'];

export class IgnoreRules {
  /** Rules by directory (relative to the root, '' for the root), shallowest first. */
  private readonly levels: Array<{ dir: string; rules: Ignore }>;
  private readonly dirCache = new Map<string, boolean>();

  private constructor(levels: Array<{ dir: string; rules: Ignore }>) {
    this.levels = levels;
  }

  /** Reads every ignore file under `root` (skipping the directories in `skip`). */
  static async load(root: string, skip: string[]): Promise<IgnoreRules> {
    const found = await glob(IGNORE_FILE_NAMES.map((name) => `**/${name}`), { cwd: root, dot: true, ignore: skip, onlyFiles: true });
    const byDir = new Map<string, Ignore>();
    for (const file of found.sort()) {
      const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
      const rules = byDir.get(dir) ?? ignore();
      rules.add(await readFile(path.join(root, file), 'utf8'));
      byDir.set(dir, rules);
    }
    const levels = [...byDir].map(([dir, rules]) => ({ dir, rules }));
    levels.sort((a, b) => depth(a.dir) - depth(b.dir));
    return new IgnoreRules(levels);
  }

  /** Empty rules: nothing is ignored. */
  static none(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /**
   * Whether a file (posix path relative to the root) is ignored; `via` is the outermost ignored
   * directory containing it (e.g. "build/"), so a report can name one directory instead of its files.
   */
  check(relativePath: string): { ignored: boolean; via: string } {
    const parts = relativePath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (this.isDirIgnored(dir)) return { ignored: true, via: dir };
    }
    return { ignored: this.test(relativePath), via: relativePath };
  }

  private isDirIgnored(dir: string): boolean {
    let ignored = this.dirCache.get(dir);
    if (ignored === undefined) {
      ignored = this.test(dir);
      this.dirCache.set(dir, ignored);
    }
    return ignored;
  }

  private test(relativePath: string): boolean {
    let ignored = false;
    for (const { dir, rules } of this.levels) {
      if (dir !== '' && !relativePath.startsWith(`${dir}/`)) continue;
      const local = dir === '' ? relativePath : relativePath.slice(dir.length + 1);
      if (local === '') continue;
      const verdict = rules.test(local);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}
