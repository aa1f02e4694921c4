import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIsCurrent } from '../../bin/build-state.js';
import { tempDir } from '../testing/temp-plumb.ts';

/** A checkout with two source files, built at `builtAt` (seconds since the epoch). */
function checkout(builtAt: number | null): string {
  const root = tempDir('plumb-build-');
  fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  for (const file of ['src/app.ts', 'src/cli/main.ts']) {
    fs.writeFileSync(path.join(root, file), '// source\n');
    fs.utimesSync(path.join(root, file), 1_000, 1_000);
  }
  if (builtAt !== null) {
    fs.mkdirSync(path.join(root, 'dist'));
    fs.writeFileSync(path.join(root, 'dist', '.build-stamp'), 'built\n');
    fs.utimesSync(path.join(root, 'dist', '.build-stamp'), builtAt, builtAt);
  }
  return root;
}

describe('buildIsCurrent', () => {
  it('is true only for a build newer than every source file, however deep', () => {
    expect(buildIsCurrent(checkout(2_000))).toBe(true);
    const edited = checkout(2_000);
    fs.utimesSync(path.join(edited, 'src', 'cli', 'main.ts'), 3_000, 3_000);
    expect(buildIsCurrent(edited)).toBe(false);
  });

  it('is false with no build at all (e.g. npm ci --omit=dev, where TypeScript is missing)', () => {
    expect(buildIsCurrent(checkout(null))).toBe(false);
  });
});
