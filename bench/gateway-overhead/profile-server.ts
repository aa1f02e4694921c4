// In-process profile of plumb's real POST /v1/chat/completions: createPlumb() as in
// servers/plumb-gateway.ts (alias `fast` → the stub, exact cache off), createApp() in open local
// mode, and N `app.request()` calls in a row, JSON and streamed, reporting CPU µs per call.
// The stub runs in its own child process. To see where the time goes:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/gateway-overhead/profile-server.ts [calls]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlumb } from '../../src/app.ts';
import { createApp } from '../../src/server/create-app.ts';
import { chatBody } from './load.ts';

const calls = Number(process.argv[2] ?? 3000);
const stubPath = fileURLToPath(new URL('./servers/stub.ts', import.meta.url));
const stub = fork(stubPath, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
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
const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };

async function once(stream: boolean): Promise<void> {
  const body = chatBody(stream, 'fast');
  const res = await app.request('/v1/chat/completions', { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  await res.text();
}

async function measure(label: string, stream: boolean): Promise<void> {
  for (let i = 0; i < Math.min(500, calls); i++) await once(stream);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await once(stream);
  const wallUs = Number(process.hrtime.bigint() - start) / 1000 / calls;
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${((used.user + used.system) / calls).toFixed(1)} µs CPU/call (user ${(used.user / calls).toFixed(1)}, sys ${(used.system / calls).toFixed(1)}), ${wallUs.toFixed(1)} µs wall/call`);
}

await measure('json  ', false);
await measure('stream', true);
await plumb.close();
rmSync(dir, { recursive: true, force: true });
stub.disconnect();
stub.kill();
