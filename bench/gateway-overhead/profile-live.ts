// Profiles plumb's real HTTP server under load: the stub and plumb each in a child process
// (plumb with --cpu-prof), autocannon from this process at the given concurrency.
//   npx tsx bench/gateway-overhead/profile-live.ts [connections=1] [seconds=8] [json|stream]
// Writes the .cpuprofile under /tmp/plumb-live-prof and prints req/s, latency and the server's
// CPU µs per request (all threads, and the main thread alone).
import { fork } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMicrosOf, ensureBuild, mainThreadCpuMicrosOf, pinTo } from './children.ts';
import { cannon, portkeyHeaders } from './load.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const connections = Number(process.argv[2] ?? 1);
const seconds = Number(process.argv[3] ?? 8);
const stream = process.argv[4] === 'stream';

function start(file: string, env: Record<string, string>, execArgv: string[]): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const child = fork(join(HERE, 'servers', file), [], {
    execArgv,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', process.env['NODE_EXTRA'] ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready') resolve({ port: m.port!, pid: child.pid!, stop: () => new Promise((r) => { child.once('exit', () => r()); child.disconnect(); }) });
    }),
  );
}

ensureBuild();
const stub = await start('stub.mjs', {}, []);
// TARGET=portkey (needs bench/peers installed) measures Portkey's gateway the same way, for comparison;
// TARGET=node-proxy the bare forwarder (servers/node-proxy.mjs), the floor.
const portkey = process.env['TARGET'] === 'portkey';
const nodeProxy = process.env['TARGET'] === 'node-proxy';
const plumb = await start(portkey ? 'portkey.mjs' : nodeProxy ? 'node-proxy.mjs' : 'plumb-gateway.mjs', { STUB_URL: `http://127.0.0.1:${stub.port}/v1` }, process.env['NO_PROF'] ? (process.env['NODE_EXTRA'] ?? '').split(' ').filter(Boolean) : ['--cpu-prof', '--cpu-prof-dir=/tmp/plumb-live-prof']);
if (process.env['PIN']) {
  // The gateway alone on CPU 0 (all its threads), this process and the stub on CPU 1.
  pinTo(0, plumb.pid);
  pinTo(1, stub.pid);
  pinTo(1, process.pid);
}
const target = portkey
  ? { name: 'portkey' as const, port: plumb.port, headers: portkeyHeaders(`http://127.0.0.1:${stub.port}/v1`), model: 'm' }
  : { name: nodeProxy ? ('node-proxy' as const) : ('plumb' as const), port: plumb.port, headers: {}, model: 'fast' };
await cannon(target, stream, connections, 1);
const cpuBefore = { all: cpuMicrosOf(plumb.pid), main: mainThreadCpuMicrosOf(plumb.pid) };
const result = await cannon(target, stream, connections, seconds);
// The server's own CPU per request (all its threads, and the event loop's alone): steadier than
// req/s on a shared 2-core machine, where the load generator and the stub compete for the cores.
const served = Math.max(1, result.requests);
const cpuUsPerReq = Math.round((cpuMicrosOf(plumb.pid) - cpuBefore.all) / served);
const mainCpuUsPerReq = Math.round((mainThreadCpuMicrosOf(plumb.pid) - cpuBefore.main) / served);
console.log(JSON.stringify({ ...result, cpuUsPerReq, mainCpuUsPerReq }));
await plumb.stop();
await stub.stop();
