// Fine-grained A/B of plumb's gateway path: two plumb servers up at once, measured in alternating
// short windows (A B, B A, A B, ...), so the slow drift of this shared machine (its speed moved by
// up to 2x over an afternoon, LAYERS.md) falls on both alike. Each window's pair gives a ratio;
// the result is the median ratio with the spread of the pairs. Both servers run on CPU 0 (only the
// one under load is busy), the stub and the load on CPU 1.
//
//   npx tsx bench/gateway-overhead/ab-interleaved.ts [--base COMMIT] [--env-a "K=V ..."] [--env-b "K=V ..."]
//       [--windows 30] [--seconds 2] [--connections 10] [--stream] [--json FILE]
//
// A is --base's build (a git worktree, built) or, without --base, this checkout's; B is always this
// checkout's build. --env-a / --env-b set environment variables of one server (e.g. BENCH_TRACE_SAMPLE=0.1).
// --a portkey makes A Portkey's gateway (bench/peers installed): the ratio to Portkey with the drift
// taken out, where run.ts measures each target once per round.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg } from '../cli-args.ts';
import { machineInfo } from '../machine.ts';
import { cpuMicrosOf, ensureBuild, pinTo, startServer } from './children.ts';
import type { ServerProcess } from './children.ts';
import { cannon, portkeyHeaders } from './load.ts';
import type { Target } from './load.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const windows = Number(arg('windows') ?? 30);
const seconds = Number(arg('seconds') ?? 2);
const connections = Number(arg('connections') ?? 10);
const stream = process.argv.includes('--stream');
const base = arg('base');

function envOf(spec: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (spec ?? '').split(/\s+/).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--env-a / --env-b take K=V pairs, got "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** A worktree of `commit` with its own dist/ (node_modules shared with this checkout). */
function builtWorktree(commit: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'plumb-ab-'));
  execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', '-f', root, commit], { stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
  return { root: `${root}/`, remove: () => execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', root], { stdio: 'ignore' }) };
}

interface Window {
  rps: number;
  cpuUsPerReq: number;
  p50: number;
  p99: number;
}

async function measure(server: ServerProcess, target: Target, durationS: number): Promise<Window> {
  const before = cpuMicrosOf(server.pid);
  const result = await cannon(target, stream, connections, durationS);
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${server.name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return { rps: result.rps, cpuUsPerReq: (cpuMicrosOf(server.pid) - before) / Math.max(1, result.requests), p50: result.latencyMs.p50, p99: result.latencyMs.p99 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

ensureBuild();
const worktree = base ? builtWorktree(base) : undefined;
const stub = await startServer('stub', 'stub.mjs');
const upstream = { STUB_URL: `http://127.0.0.1:${stub.port}/v1` };
const portkeyIsA = arg('a') === 'portkey';
const a = portkeyIsA
  ? await startServer('A', 'portkey.mjs', envOf(arg('env-a')))
  : await startServer('A', 'plumb-gateway.mjs', { ...upstream, ...(worktree ? { PLUMB_ROOT: worktree.root } : {}), ...envOf(arg('env-a')) });
const b = await startServer('B', 'plumb-gateway.mjs', { ...upstream, ...envOf(arg('env-b')) });
const servers = [stub, a, b];
try {
  pinTo(1, stub.pid);
  pinTo(1, process.pid);
  pinTo(0, a.pid);
  pinTo(0, b.pid);
  const targets = new Map<ServerProcess, Target>([
    [a, portkeyIsA ? { name: 'portkey', port: a.port, headers: portkeyHeaders(upstream.STUB_URL), model: 'm' } : { name: 'plumb', port: a.port, headers: {}, model: 'fast' }],
    [b, { name: 'plumb', port: b.port, headers: {}, model: 'fast' }],
  ]);
  // JIT warm-up: a fresh server runs at about half speed for its first seconds (warmup-curve.ts).
  for (let i = 0; i < 4; i++) for (const server of [a, b]) await measure(server, targets.get(server)!, 2);
  const pairs: Array<{ a: Window; b: Window }> = [];
  for (let i = 0; i < windows; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const got = new Map<ServerProcess, Window>();
    for (const server of order) got.set(server, await measure(server, targets.get(server)!, seconds));
    pairs.push({ a: got.get(a)!, b: got.get(b)! });
    const last = pairs.at(-1)!;
    process.stderr.write(`window ${i + 1}/${windows}: A ${Math.round(last.a.rps)} req/s ${Math.round(last.a.cpuUsPerReq)} µs p99 ${last.a.p99} ms · B ${Math.round(last.b.rps)} req/s ${Math.round(last.b.cpuUsPerReq)} µs p99 ${last.b.p99} ms\n`);
  }
  const rpsRatios = pairs.map((p) => p.b.rps / p.a.rps);
  const cpuRatios = pairs.map((p) => p.b.cpuUsPerReq / p.a.cpuUsPerReq);
  const summary = {
    machine: machineInfo(),
    a: { build: portkeyIsA ? 'portkey' : (base ?? 'this checkout'), env: envOf(arg('env-a')), medianRps: Math.round(median(pairs.map((p) => p.a.rps))), medianCpuUsPerReq: Math.round(median(pairs.map((p) => p.a.cpuUsPerReq))), medianP50Ms: median(pairs.map((p) => p.a.p50)), medianP99Ms: median(pairs.map((p) => p.a.p99)) },
    b: { build: 'this checkout', env: envOf(arg('env-b')), medianRps: Math.round(median(pairs.map((p) => p.b.rps))), medianCpuUsPerReq: Math.round(median(pairs.map((p) => p.b.cpuUsPerReq))), medianP50Ms: median(pairs.map((p) => p.b.p50)), medianP99Ms: median(pairs.map((p) => p.b.p99)) },
    load: { connections, stream, windows, seconds },
    // B over A: above 1 means B serves more requests/s; below 1 means B spends less CPU per request.
    rpsRatio: { median: round2(median(rpsRatios)), p10: round2(quantile(rpsRatios, 0.1)), p90: round2(quantile(rpsRatios, 0.9)), bAhead: rpsRatios.filter((r) => r > 1).length },
    cpuRatio: { median: round2(median(cpuRatios)), p10: round2(quantile(cpuRatios, 0.1)), p90: round2(quantile(cpuRatios, 0.9)) },
  };
  console.log(JSON.stringify(summary, null, 2));
  const out = arg('json');
  if (out) writeFileSync(out, `${JSON.stringify({ ...summary, pairs }, null, 2)}\n`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  worktree?.remove();
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
