#!/usr/bin/env node
/**
 * Compiles src/ to plain JavaScript in dist/ (run by `npm ci` through `prepare`, or `npm run build`).
 * `plumb` runs dist/ when it is at least as new as every file in src/, and the TypeScript sources
 * through tsx otherwise, so an edited checkout never runs stale code. Compiled, a server is ready
 * in about half the time and uses ~55 MB less memory: no transpiling loader thread and no
 * source maps kept in memory (measured 2026-11-26: ready 1.0 s vs 1.9 s, RSS 172 vs 230 MB).
 *
 * Without TypeScript installed (`npm ci --omit=dev`) it builds nothing and says so; plumb then
 * runs from source, as before.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
/** Written last: its time says which sources the build has seen (bin/plumb.js compares). */
const STAMP = '.build-stamp';

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('plumb build: TypeScript is not installed (npm ci --omit=dev?); plumb will run from source through tsx.\n');
  process.exit(0);
}

fs.rmSync(dist, { recursive: true, force: true });
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  // A half-built dist/ must not be mistaken for a good one: leave none.
  fs.rmSync(dist, { recursive: true, force: true });
  process.stderr.write('plumb build: tsc failed (see above); plumb will run from source through tsx.\n');
  process.exit(result.status ?? 1);
}
// Plain JavaScript that ships beside the sources (the SQLite writer thread's worker).
for (const file of fs.readdirSync(src, { recursive: true })) {
  if (!String(file).endsWith('.js')) continue;
  fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  fs.copyFileSync(path.join(src, file), path.join(dist, file));
}
fs.writeFileSync(path.join(dist, STAMP), `${new Date().toISOString()}\n`);
process.stderr.write(`plumb build: src/ compiled to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
