#!/usr/bin/env node
// The `plumb` command. It runs the compiled JavaScript in dist/ (built by `npm ci`, or `npm run
// build`) when that build has seen every source file, and the TypeScript sources through tsx's
// loader otherwise, so a checkout being edited never runs stale code. PLUMB_FROM_SOURCE=1 forces
// the sources.
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from './build-state.js';

if (process.env.PLUMB_FROM_SOURCE !== '1' && buildIsCurrent(fileURLToPath(new URL('..', import.meta.url)))) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
