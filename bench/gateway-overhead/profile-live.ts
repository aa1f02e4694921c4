// Profiles plumb's real HTTP server under load: the stub and plumb each in a child process
// (plumb with --cpu-prof), autocannon from this process at the given concurrency.
//   npx tsx bench/gateway-overhead/profile-live.ts [connections=1] [seconds=8] [json|stream]
// Writes the .cpuprofile under /tmp/plumb-live-prof and prints req/s and latency.
import { fork } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './children.ts';
import { cannon } from './load.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const connections = Number(process.argv[2] ?? 1);
const seconds = Number(process.argv[3] ?? 8);
const stream = process.argv[4] === 'stream';

function start(file: string, env: Record<string, string>, execArgv: string[]): Promise<{ port: number; stop(): Promise<void> }> {
  const child = fork(join(HERE, 'servers', file), [], {
    execArgv,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', process.env['NODE_EXTRA'] ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready') resolve({ port: m.port!, stop: () => new Promise((r) => { child.once('exit', () => r()); child.disconnect(); }) });
    }),
  );
}

ensureBuild();
const stub = await start('stub.mjs', {}, []);
const plumb = await start('plumb-gateway.mjs', { STUB_URL: `http://127.0.0.1:${stub.port}/v1` }, process.env['NO_PROF'] ? (process.env['NODE_EXTRA'] ?? '').split(' ').filter(Boolean) : ['--cpu-prof', '--cpu-prof-dir=/tmp/plumb-live-prof']);
const target = { name: 'plumb' as const, port: plumb.port, headers: {}, model: 'fast' };
await cannon(target, stream, connections, 1);
const result = await cannon(target, stream, connections, seconds);
console.log(JSON.stringify(result));
await plumb.stop();
await stub.stop();
