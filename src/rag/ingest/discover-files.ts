/**
 * Finds the files to ingest under the given paths: include globs, gitignore-style excludes,
 * .gitignore/.plumbignore rules and a size limit. Whatever is left out for a reason the user may
 * not expect (too big, unsupported, ignored, missing) comes back in `skipped`.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import { glob } from 'tinyglobby';
import { IgnoreRules } from './ignore-rules.ts';
import { DEFAULT_MAX_FILE_BYTES, formatBytes, type SkipReason } from './load-result.ts';
import { fileTypeOf, supportedExtensions } from './loaders/file-types.ts';

export interface DiscoverOptions {
  /** Globs relative to each directory given, e.g. ["**\/*.md"]. Default: every file. */
  include?: string[];
  /** gitignore-style patterns relative to each directory given, e.g. ["drafts/", "*.log"]. */
  exclude?: string[];
  /** Honour .gitignore and .plumbignore files inside the directories. Default true. */
  respectIgnoreFiles?: boolean;
  /** Larger files are skipped as too_large. Default 20 MB. */
  maxFileBytes?: number;
  /** Also walk hidden files and directories (names starting with "."). Default false. */
  includeHidden?: boolean;
}

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  size: number;
}

export interface DiscoverySkip {
  path: string;
  reason: SkipReason;
  message: string;
}

export interface DiscoveryResult {
  /** Sorted by path, each file once. */
  files: DiscoveredFile[];
  skipped: DiscoverySkip[];
}

/** Never content, and often huge. */
const ALWAYS_SKIPPED = ['**/node_modules/**', '**/.git/**'];

/** The files under `paths` (files or directories) that ingest should load. */
export async function discoverFiles(paths: string[], options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const found = new Map<string, DiscoveredFile>();
  const skipped: DiscoverySkip[] = [];
  const candidates: string[] = [];

  for (const given of paths) {
    const absolute = path.resolve(given);
    const info = await statOrNull(absolute);
    if (!info) {
      skipped.push({ path: absolute, reason: 'missing', message: 'path does not exist; check the spelling or the working directory' });
    } else if (info.isDirectory()) {
      candidates.push(...(await walkDirectory(absolute, options, skipped)));
    } else {
      // A file named explicitly is taken whatever the globs and ignore files say.
      candidates.push(absolute);
    }
  }

  for (const file of candidates) {
    if (found.has(file)) continue;
    if (!fileTypeOf(file)) {
      skipped.push({ path: file, reason: 'unsupported_type', message: `no loader for this file type; supported: ${supportedExtensions().join(' ')}` });
      continue;
    }
    const info = await statOrNull(file);
    if (!info) {
      skipped.push({ path: file, reason: 'missing', message: 'file disappeared while the directory was being read' });
    } else if (info.size > maxBytes) {
      skipped.push({ path: file, reason: 'too_large', message: `file is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit; raise maxFileBytes or split the file` });
    } else {
      found.set(file, { path: file, size: info.size });
    }
  }
  const files = [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

/** Absolute paths of the files under `dir` that pass the globs, excludes and ignore files. */
async function walkDirectory(dir: string, options: DiscoverOptions, skipped: DiscoverySkip[]): Promise<string[]> {
  const relative = await glob(options.include ?? ['**/*'], {
    cwd: dir,
    dot: options.includeHidden ?? false,
    ignore: ALWAYS_SKIPPED,
    onlyFiles: true,
  });
  const excludes = ignore().add(options.exclude ?? []);
  const rules = options.respectIgnoreFiles === false ? IgnoreRules.none() : await IgnoreRules.load(dir, ALWAYS_SKIPPED);
  const reportedIgnored = new Set<string>();
  const kept: string[] = [];
  for (const file of relative) {
    if (excludes.ignores(file)) continue;
    const verdict = rules.check(file);
    if (verdict.ignored) {
      if (!reportedIgnored.has(verdict.via)) {
        reportedIgnored.add(verdict.via);
        const what = verdict.via.endsWith('/') ? 'directory matched' : 'matched';
        skipped.push({ path: path.join(dir, verdict.via), reason: 'ignored', message: `${what} by a .gitignore or .plumbignore rule` });
      }
      continue;
    }
    kept.push(path.join(dir, file));
  }
  return kept;
}

async function statOrNull(filePath: string): Promise<Stats | null> {
  try {
    return await stat(filePath);
  } catch {
    return null;
  }
}
