import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTokenizerLoaded } from '../core/tokenizer.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { tempDir, tempPlumb } from '../testing/temp-plumb.ts';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Starts a gateway server in a child process and lists the packages it loaded by then. */
async function packagesLoadedByGatewayServer(): Promise<string[]> {
  const dir = tempDir('plumb-server-loads-');
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith('file:')) process.stderr.write('LOADED ' + r.url + '\\n'); return r; }\n`);
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const script = path.join(dir, 'serve.mjs');
  fs.writeFileSync(script, `
    const { createPlumb } = await import(${JSON.stringify(pathToFileURL(path.join(SRC, 'app.ts')).href)});
    const { startServer } = await import(${JSON.stringify(pathToFileURL(path.join(SRC, 'server', 'start-server.ts')).href)});
    const plumb = await createPlumb({ config: { dataDir: ${JSON.stringify(dir)}, embeddings: { provider: 'none' }, gateway: { providers: { up: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'] } }, aliases: { fast: { provider: 'up', model: 'm' } } } }, env: {} });
    const server = await startServer(plumb, { port: 0 });
    await server.close();
    await plumb.close();
  `);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(register).href, script], { cwd: path.join(SRC, '..') });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the server script failed (${code}): ${stderr.slice(-500)}`));
      const files = stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
      resolve([...new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => p !== undefined))]);
    });
  });
}

describe('what a gateway server loads', { timeout: 60_000 }, () => {
  it('starts without the HTML parser, the Redis client or the BPE tables, which it does not use', async () => {
    const packages = await packagesLoadedByGatewayServer();
    expect(packages).toContain('hono'); // the server itself: the list is real
    expect(packages.filter((p) => ['linkedom', '@mozilla/readability', 'ioredis', 'gpt-tokenizer'].includes(p))).toEqual([]);
  });

  it('answers a gateway call without loading the BPE tables (no budgets, limits or routing to count for)', async () => {
    // The upstream reports usage, as OpenAI does: nothing is left for plumb to count.
    const upstream = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok', usage: { prompt_tokens: 9, completion_tokens: 1 } }));
    const { plumb } = await tempPlumb({ embeddings: { provider: 'none' }, gateway: { providers: { up: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { fast: { provider: 'up', model: 'm' } } } });
    try {
      const response = await plumb.chat({ messages: [{ role: 'user', content: 'hi' }] }, { model: 'fast' });
      expect(response.text).toBe('ok');
      expect(isTokenizerLoaded()).toBe(false);
    } finally {
      await plumb.close();
      await upstream.close();
    }
  });
});
