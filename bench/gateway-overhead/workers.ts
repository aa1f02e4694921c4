// `plumb serve --workers N` on this machine: the real CLI (compiled, a config file pointing the
// alias `fast` at the stub, exact cache off, as in run.ts) with 1 and 2 workers, and Portkey's
// gateway in the same rounds for the ratio. Each round starts every server fresh, burns it in,
// then measures JSON chat completions at each concurrency; targets alternate between rounds.
//   npx tsx bench/gateway-overhead/workers.ts [--rounds 3] [--duration 6] [--workers 1,2] [--no-write]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, machineLine } from '../machine.ts';
import { ensureBuild, startServer, type ServerProcess } from './children.ts';
import { cannon, portkeyHeaders, type LoadResult, type Target } from './load.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '../../bin/plumb.js');
const arg = (name: string): string | undefined => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const ROUNDS = Number(arg('rounds') ?? 3);
const DURATION_S = Number(arg('duration') ?? 6);
const BURN_IN_S = 6;
const WORKERS = (arg('workers') ?? '1,2').split(',').map(Number);
const CONNECTIONS = [1, 10];

interface Served {
  port: number;
  stop(): Promise<void>;
}

/** `plumb serve --workers N` as a user runs it; resolves once its banner names the port. */
async function servePlumb(workers: number, upstream: string): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-workers-bench-'));
  const config = join(dir, 'plumb.config.json');
  writeFileSync(config, JSON.stringify({
    embeddings: { provider: 'none' },
    gateway: { providers: { stub: { type: 'openai-compatible', baseUrl: upstream, models: ['m'] } }, aliases: { fast: { provider: 'stub', model: 'm' } } },
    cache: { exact: false },
  }));
  const child: ChildProcess = spawn(process.execPath, [BIN, '--config', config, 'serve', '--port', '0', '--workers', String(workers), '--data', join(dir, 'data')], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const found = /API:\s+http:\/\/127\.0\.0\.1:(\d+)\/v1/.exec(out);
      if (found && out.includes('Press Ctrl+C')) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`plumb serve exited (${code}) before it was ready`)));
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

interface Row {
  round: number;
  target: string;
  connections: number;
  result: LoadResult;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  ensureBuild();
  const stub: ServerProcess = await startServer('stub', 'stub.mjs');
  const upstream = `http://127.0.0.1:${stub.port}/v1`;
  const rows: Row[] = [];
  const names = [...WORKERS.map((n) => `plumb ${n} worker${n > 1 ? 's' : ''}`), 'portkey'];
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      const portkey = name === 'portkey' ? await startServer('portkey', 'portkey.mjs') : undefined;
      const plumb = portkey ? undefined : await servePlumb(Number(/\d+/.exec(name)![0]), upstream);
      const target: Target = portkey
        ? { name: 'portkey', port: portkey.port, headers: portkeyHeaders(upstream) }
        : { name: 'plumb', port: plumb!.port, headers: {}, model: 'fast' };
      await cannon(target, false, 10, BURN_IN_S);
      for (const connections of CONNECTIONS) {
        await cannon(target, false, connections, 1);
        const result = await cannon(target, false, connections, DURATION_S);
        rows.push({ round, target: name, connections, result });
        console.log(`round ${round + 1} ${name.padEnd(16)} c=${String(connections).padEnd(3)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.latencyMs.p50.toFixed(2)} ms  p99 ${result.latencyMs.p99.toFixed(2)} ms  errors ${result.errors + result.non2xx}`);
      }
      await (portkey ?? plumb!).stop();
    }
  }
  await stub.stop();
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const table = CONNECTIONS.flatMap((connections) => {
    const portkeyRps = median(rows.filter((r) => r.target === 'portkey' && r.connections === connections).map((r) => r.result.rps));
    return names.map((target) => {
      const mine = rows.filter((r) => r.target === target && r.connections === connections);
      const rps = median(mine.map((r) => r.result.rps));
      return { connections, target, rps: Math.round(rps), perRound: mine.map((r) => Math.round(r.result.rps)), p50: median(mine.map((r) => r.result.latencyMs.p50)), p99: median(mine.map((r) => r.result.latencyMs.p99)), vsPortkey: Math.round((rps / portkeyRps) * 100) / 100 };
    });
  });
  const machine = machineInfo();
  const seconds = Math.round((performance.now() - t0) / 1000);
  if (process.argv.includes('--no-write')) return;
  writeFileSync(join(HERE, 'workers.json'), `${JSON.stringify({ machine, rounds: ROUNDS, durationS: DURATION_S, burnInS: BURN_IN_S, table, rows }, null, 2)}\n`);
  const lines = [
    '# `plumb serve --workers N` against Portkey',
    '',
    `Machine: ${machineLine(machine)}. Run: \`npx tsx bench/gateway-overhead/workers.ts\` (${seconds} s): ${ROUNDS} rounds; in each, every target starts fresh (plumb through its real CLI with a config file, compiled; Portkey as in run.ts), gets ${BURN_IN_S} s of unmeasured load at c=10, then 1 s warm-up + ${DURATION_S} s measured per concurrency, JSON chat completions through the stub; targets in rotating order; medians over rounds. The load generator and the stub share the same 2 cores.`,
    '',
    '| c | target | req/s (median) | per round | p50 ms | p99 ms | × Portkey |',
    '|---|---|---|---|---|---|---|',
    ...table.map((r) => `| ${r.connections} | ${r.target} | ${r.rps} | ${r.perRound.join(' / ')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.vsPortkey.toFixed(2)} |`),
    '',
  ];
  writeFileSync(join(HERE, 'WORKERS.md'), lines.join('\n'));
  console.log(`wrote ${join(HERE, 'WORKERS.md')}`);
}

await main();
