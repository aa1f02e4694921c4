// plumb's gateway path in this process, for the profile scripts: the stub in a child process,
// createPlumb() as in servers/plumb-gateway.mjs (alias `fast` → the stub, exact cache off) and
// createApp() in open local mode; `call(stream)` sends one POST /v1/chat/completions through it.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlumb } from '../../src/app.ts';
import type { Plumb } from '../../src/plumb.ts';
import { createApp } from '../../src/server/create-app.ts';
import { chatBody } from './load.ts';

export interface InProcessPlumb {
  plumb: Plumb;
  /** The stub's base URL (…/v1). */
  upstream: string;
  call(stream: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startInProcessPlumb(): Promise<InProcessPlumb> {
  const stub = fork(fileURLToPath(new URL('./servers/stub.mjs', import.meta.url)), [], { execArgv: [], stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => stub.on('message', (m: { type: string; port: number }) => m.type === 'ready' && resolve(m.port)));
  const dir = mkdtempSync(join(tmpdir(), 'plumb-gw-profile-'));
  const plumb = await createPlumb({
    config: {
      dataDir: dir,
      embeddings: { provider: 'none' },
      gateway: { providers: { stub: { type: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1`, models: ['m'] } }, aliases: { fast: { provider: 'stub', model: 'm' } } },
      cache: { exact: false },
    },
    env: {},
  });
  const app = createApp(plumb, { open: true });
  const bodies = { json: chatBody(false, 'fast'), stream: chatBody(true, 'fast') };
  return {
    plumb,
    upstream: `http://127.0.0.1:${port}/v1`,
    async call(stream) {
      const body = stream ? bodies.stream : bodies.json;
      const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'content-length': String(Buffer.byteLength(body)) };
      const res = await app.request('/v1/chat/completions', { method: 'POST', headers, body });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
      await res.text();
    },
    async close() {
      await plumb.close();
      rmSync(dir, { recursive: true, force: true });
      stub.kill();
    },
  };
}
