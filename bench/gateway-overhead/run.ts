// Gateway overhead: a local stub upstream called directly, through plumb's gateway path, and
// through Portkey's open-source gateway, in one run.
//
//   npx tsx bench/gateway-overhead/run.ts            # full: 2 rounds x {json, stream} x c=1,10, 1 s warm-up + 5 s each (~3 min)
//   npx tsx bench/gateway-overhead/run.ts --quick    # smoke: 1 round, 0.5 s + 2 s
//   npx tsx bench/gateway-overhead/run.ts --pin      # each gateway on CPU 0, the stub and the load generator on CPU 1
//   options: --rounds N --duration S --warmup S --burn-in S --connections 1,10 --ttft N --no-portkey --no-node-proxy --no-write
//
// Each round starts fresh servers and first runs every target under load for --burn-in seconds
// (default 8, JSON and streams, unmeasured): a JIT-compiled server is slow for its first seconds
// (plumb and Portkey each ran at about half their later req/s in their first 4 s: warmup-curve.ts), and a 1 s warm-up
// measured that start instead of the gateway.
//
// Needs Portkey in bench/peers (`cd bench/peers && npm install`). Every server runs in its own
// child process on 127.0.0.1; this process only generates load (autocannon, and a streaming
// client for time to first token). Targets are measured interleaved, their order rotating, so
// drift on this shared machine hits all of them alike. Writes results.json and RESULTS.md here
// (with --pin: results-pinned.json and RESULTS-PINNED.md).
//
// Unpinned, every process shares the 2 cores and the scheduler decides who runs where: the load
// generator and the stub take CPU from the gateway, more of it the faster the gateway is, and the
// same build's req/s moves by up to 1.5x between runs with where its threads land. --pin gives
// each gateway (all its threads: event loop, GC helpers, plumb's SQLite writer) one core to
// itself and puts the stub and autocannon on the other, so req/s measures the gateway.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg } from '../cli-args.ts';
import { machineInfo } from '../machine.ts';
import { cpuMicrosOf, ensureBuild, listeningAddresses, memoryOf, pinTo, startServer } from './children.ts';
import type { ServerProcess } from './children.ts';
import { cannon, chatBody, headersFor, portkeyHeaders, timeToFirstToken } from './load.ts';
import type { Target, TtftResult } from './load.ts';
import { renderResults } from './report.ts';
import type { Measurement, Results, TtftMeasurement } from './report.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PORTKEY_PACKAGE = join(HERE, '..', 'peers', 'node_modules', '@portkey-ai', 'gateway', 'package.json');

const QUICK = process.argv.includes('--quick');
const CONFIG = {
  rounds: Number(arg('rounds') ?? (QUICK ? 1 : 2)),
  durationS: Number(arg('duration') ?? (QUICK ? 2 : 5)),
  warmupS: Number(arg('warmup') ?? (QUICK ? 0.5 : 1)),
  burnInS: Number(arg('burn-in') ?? (QUICK ? 1 : 8)),
  connections: (arg('connections') ?? '1,10').split(',').map(Number),
  ttftRequests: Number(arg('ttft') ?? (QUICK ? 100 : 300)),
  portkey: !process.argv.includes('--no-portkey'),
  /** A bare node:http forwarder: the floor any Node.js gateway stands on. */
  nodeProxy: !process.argv.includes('--no-node-proxy'),
  write: !process.argv.includes('--no-write'),
  pin: process.argv.includes('--pin'),
};

/** Starts the stub, plumb and Portkey; checks that each answers right and binds loopback only. */
async function startTargets(): Promise<{ servers: ServerProcess[]; targets: Target[]; portkeyBinds: string[] }> {
  ensureBuild();
  const stub = await startServer('stub', 'stub.mjs');
  const servers = [stub];
  const targets: Target[] = [{ name: 'direct', port: stub.port, headers: {} }];
  if (CONFIG.nodeProxy) {
    const proxy = await startServer('node-proxy', 'node-proxy.mjs', { STUB_URL: `http://127.0.0.1:${stub.port}/v1` });
    servers.push(proxy);
    targets.push({ name: 'node-proxy', port: proxy.port, headers: {} });
  }
  const plumb = await startServer('plumb', 'plumb-gateway.mjs', { STUB_URL: `http://127.0.0.1:${stub.port}/v1` });
  servers.push(plumb);
  targets.push({ name: 'plumb', port: plumb.port, headers: {}, model: 'fast' });
  let portkeyBinds: string[] = [];
  if (CONFIG.portkey) {
    const portkey = await startServer('portkey', 'portkey.mjs');
    servers.push(portkey);
    portkeyBinds = listeningAddresses(portkey.pid);
    if (portkeyBinds.length === 0 || portkeyBinds.some((address) => !address.startsWith('127.0.0.1:'))) {
      throw new Error(`Portkey listens on ${portkeyBinds.join(', ') || 'nothing'}; expected 127.0.0.1 only`);
    }
    targets.push({
      name: 'portkey',
      port: portkey.port,
      headers: portkeyHeaders(`http://127.0.0.1:${stub.port}/v1`),
    });
  }
  if (CONFIG.pin) {
    for (const server of servers) pinTo(server === stub ? 1 : 0, server.pid);
    pinTo(1, process.pid);
  }
  for (const target of targets) await check(target);
  return { servers, targets, portkeyBinds };
}

/** One JSON and one streamed request: the same answer text from every target. */
async function check(target: Target): Promise<void> {
  const url = `http://127.0.0.1:${target.port}/v1/chat/completions`;
  const json = await fetch(url, { method: 'POST', headers: headersFor(target), body: chatBody(false, target.model) });
  const body = (await json.json()) as { choices?: Array<{ message?: { content?: string } }> };
  const text = body.choices?.[0]?.message?.content;
  if (json.status !== 200 || text !== 'The gateway adds almost nothing.') throw new Error(`${target.name}: JSON check failed (${json.status}, ${JSON.stringify(body).slice(0, 200)})`);
  const stream = await (await fetch(url, { method: 'POST', headers: headersFor(target), body: chatBody(true, target.model) })).text();
  const streamed = [...stream.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join('');
  if (streamed !== text || !stream.includes('data: [DONE]')) throw new Error(`${target.name}: stream check failed: ${stream.slice(0, 300)}`);
}

function rotate<T>(xs: readonly T[], n: number): T[] {
  const k = n % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const measurements: Measurement[] = [];
  const ttft: TtftMeasurement[] = [];
  const idle: Array<{ round: number; target: string; rssMB: number; startupMs: number }> = [];
  const peak: Record<string, number> = {};
  let portkeyBinds: string[] = [];
  let ledger: { rows: number; clientResponses: number } = { rows: 0, clientResponses: 0 };
  let slot = 0;

  for (let round = 0; round < CONFIG.rounds; round++) {
    const started = await startTargets();
    portkeyBinds = started.portkeyBinds;
    const byName = new Map(started.servers.map((s) => [s.name, s]));
    const serverOf = (target: Target) => byName.get(target.name === 'direct' ? 'stub' : target.name)!;
    let plumbResponses = 2; // the two checks
    try {
      for (const target of started.targets) idle.push({ round, target: target.name, rssMB: memoryOf(serverOf(target).pid).rssMB, startupMs: serverOf(target).startupMs });
      console.log(`round ${round + 1}/${CONFIG.rounds}: ${started.targets.map((t) => t.name).join(', ')} up and answering${portkeyBinds.length ? `; Portkey bound to ${portkeyBinds.join(', ')}` : ''}`);
      for (const target of started.targets) {
        for (const stream of [false, true]) {
          const burn = await cannon(target, stream, Math.max(...CONFIG.connections), CONFIG.burnInS / 2);
          if (target.name === 'plumb') plumbResponses += burn.requests;
        }
      }
      console.log(`  burned in: ${CONFIG.burnInS} s of load per target before measuring`);
      for (const mode of ['json', 'stream'] as const) {
        for (const connections of CONFIG.connections) {
          for (const target of rotate(started.targets, slot++)) {
            const server = serverOf(target);
            const warm = await cannon(target, mode === 'stream', connections, CONFIG.warmupS);
            const cpuBefore = cpuMicrosOf(server.pid);
            const result = await cannon(target, mode === 'stream', connections, CONFIG.durationS);
            const cpuUs = cpuMicrosOf(server.pid) - cpuBefore;
            if (target.name === 'plumb') plumbResponses += warm.requests + result.requests;
            const memory = memoryOf(server.pid);
            measurements.push({ round, mode, connections, target: target.name, ...result, serverCpuUsPerReq: Math.round(cpuUs / Math.max(1, result.requests)), rssMB: memory.rssMB });
            console.log(
              `  ${mode.padEnd(6)} c=${String(connections).padEnd(3)} ${target.name.padEnd(8)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.latencyMs.p50.toFixed(3)} ms  p99 ${result.latencyMs.p99.toFixed(3)} ms  ` +
                `errors ${result.errors} non2xx ${result.non2xx}  server ${Math.round(cpuUs / Math.max(1, result.requests))} us/req  rss ${memory.rssMB} MB`,
            );
          }
        }
      }
      for (const target of rotate(started.targets, slot++)) {
        const result: TtftResult = await timeToFirstToken(target, CONFIG.ttftRequests);
        ttft.push({ round, target: target.name, ...result });
        if (target.name === 'plumb') plumbResponses += result.requests;
        console.log(`  ttft   c=1   ${target.name.padEnd(8)} first token p50 ${result.ttftMs.p50.toFixed(3)} ms  p99 ${result.ttftMs.p99.toFixed(3)} ms  (stream end p50 ${result.totalMs.p50.toFixed(3)} ms)`);
      }
      for (const target of started.targets) {
        const { peakRssMB } = memoryOf(serverOf(target).pid);
        peak[target.name] = Math.max(peak[target.name] ?? 0, peakRssMB);
      }
      const plumbPort = started.targets.find((t) => t.name === 'plumb')!.port;
      const ledgerBody = (await (await fetch(`http://127.0.0.1:${plumbPort}/v1/ledger?limit=0`, { headers: { authorization: 'Bearer sk-bench' } })).json()) as { totals: { requests: number } };
      ledger = { rows: ledgerBody.totals.requests, clientResponses: plumbResponses };
      if (ledger.rows < ledger.clientResponses) throw new Error(`plumb's ledger has ${ledger.rows} rows for ${ledger.clientResponses} responses`);
    } finally {
      await Promise.all(started.servers.map((s) => s.stop()));
    }
  }

  const portkeyVersion = existsSync(PORTKEY_PACKAGE) ? (JSON.parse(readFileSync(PORTKEY_PACKAGE, 'utf8')) as { version: string }).version : null;
  const results: Results = {
    machine: machineInfo(),
    config: CONFIG,
    portkey: { version: portkeyVersion, boundTo: portkeyBinds },
    idle,
    peakRssMB: peak,
    measurements,
    ttft,
    ledger: { lastRoundRows: ledger.rows, lastRoundResponses: ledger.clientResponses },
    durationS: Math.round((performance.now() - t0) / 1000),
  };
  const markdown = renderResults(results);
  console.log(`\n${markdown}`);
  if (CONFIG.write) {
    const [json, md] = CONFIG.pin ? ['results-pinned.json', 'RESULTS-PINNED.md'] : ['results.json', 'RESULTS.md'];
    writeFileSync(join(HERE, json), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(HERE, md), markdown);
    console.log(`wrote ${join(HERE, json)} and ${md}`);
  }
}

await main();
