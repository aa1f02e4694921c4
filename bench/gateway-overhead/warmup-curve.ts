// How a freshly started server's speed changes over its first seconds under load: consecutive
// 4 s measurements of one target at concurrency c, each with req/s, latency and the server's CPU
// per request. Shows why run.ts burns every target in before measuring (a JIT-compiled server
// runs at about half speed at first).
//   npx tsx bench/gateway-overhead/warmup-curve.ts [plumb|portkey|node-proxy|direct] [c=1] [runs=6] [json|stream]
import { cpuMicrosOf, ensureBuild, mainThreadCpuMicrosOf, memoryOf, startServer } from './children.ts';
import { cannon, portkeyHeaders } from './load.ts';
import type { Target } from './load.ts';

const which = (process.argv[2] ?? 'plumb') as Target['name'];
const connections = Number(process.argv[3] ?? 1);
const runs = Number(process.argv[4] ?? 6);
const stream = process.argv[5] === 'stream';

ensureBuild();
const stub = await startServer('stub', 'stub.mjs');
const upstream = `http://127.0.0.1:${stub.port}/v1`;
const server =
  which === 'plumb' ? await startServer('plumb', 'plumb-gateway.mjs', { STUB_URL: upstream })
  : which === 'portkey' ? await startServer('portkey', 'portkey.mjs')
  : which === 'node-proxy' ? await startServer('node-proxy', 'node-proxy.mjs', { STUB_URL: upstream })
  : stub;
const target: Target = {
  name: which,
  port: server.port,
  headers: which === 'portkey' ? portkeyHeaders(upstream) : {},
  ...(which === 'plumb' ? { model: 'fast' } : {}),
};
for (let run = 0; run < runs; run++) {
  const before = cpuMicrosOf(server.pid);
  const mainBefore = mainThreadCpuMicrosOf(server.pid);
  const r = await cannon(target, stream, connections, 4);
  const cpu = cpuMicrosOf(server.pid) - before;
  const main = mainThreadCpuMicrosOf(server.pid) - mainBefore;
  console.log(`${which} ${stream ? 'stream' : 'json'} c=${connections} seconds ${run * 4}-${run * 4 + 4}: ${r.rps.toFixed(0)} req/s  p50 ${r.latencyMs.p50.toFixed(3)} ms  p99 ${r.latencyMs.p99.toFixed(3)} ms  server ${(cpu / Math.max(1, r.requests)).toFixed(0)} us/req (main thread ${(main / Math.max(1, r.requests)).toFixed(0)})  rss ${memoryOf(server.pid).rssMB} MB`);
}
if (server !== stub) await server.stop();
await stub.stop();
