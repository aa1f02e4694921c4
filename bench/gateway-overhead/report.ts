// results.json → RESULTS.md: medians over rounds, latency added over calling the stub directly,
// requests/s against Portkey, time to first token, memory, and the goals met or not.
import { machineLine } from '../machine.ts';
import type { MachineInfo } from '../machine.ts';
import type { LatencySummary, LoadResult, TtftResult } from './load.ts';

export interface Measurement extends LoadResult {
  round: number;
  mode: 'json' | 'stream';
  connections: number;
  target: string;
  serverCpuUsPerReq: number;
  rssMB: number;
}

export interface TtftMeasurement extends TtftResult {
  round: number;
  target: string;
}

export interface Results {
  machine: MachineInfo;
  config: { rounds: number; durationS: number; warmupS: number; burnInS?: number; connections: number[]; ttftRequests: number; portkey: boolean; pin?: boolean };
  portkey: { version: string | null; boundTo: string[] };
  idle: Array<{ round: number; target: string; rssMB: number; startupMs: number }>;
  peakRssMB: Record<string, number>;
  measurements: Measurement[];
  ttft: TtftMeasurement[];
  ledger: { lastRoundRows: number; lastRoundResponses: number };
  durationS: number;
}

const GOALS = { addedP50Ms: 0.5, addedP99Ms: 2, rpsOverPortkey: 5 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)}` : '–');

interface Cell {
  rps: number;
  p50: number;
  p99: number;
  cpu: number;
  errors: number;
}

/** Median over rounds of one (mode, connections, target). */
function cell(results: Results, mode: string, connections: number, target: string): Cell | undefined {
  const ms = results.measurements.filter((m) => m.mode === mode && m.connections === connections && m.target === target);
  if (ms.length === 0) return undefined;
  return {
    rps: median(ms.map((m) => m.rps)),
    p50: median(ms.map((m) => m.latencyMs.p50)),
    p99: median(ms.map((m) => m.latencyMs.p99)),
    cpu: median(ms.map((m) => m.serverCpuUsPerReq)),
    errors: ms.reduce((n, m) => n + m.errors + m.non2xx, 0),
  };
}

function ttftOf(results: Results, target: string): { p50: number; p99: number; end: number } | undefined {
  const ts = results.ttft.filter((t) => t.target === target);
  if (ts.length === 0) return undefined;
  const pick = (f: (s: LatencySummary) => number, which: 'ttftMs' | 'totalMs') => median(ts.map((t) => f(t[which])));
  return { p50: pick((s) => s.p50, 'ttftMs'), p99: pick((s) => s.p99, 'ttftMs'), end: pick((s) => s.p50, 'totalMs') };
}

/** The goals as measured: added latency per concurrency (JSON), and plumb's req/s over Portkey's. */
export function goalRows(results: Results): Array<{ goal: string; measured: string; met: boolean | null }> {
  const rows: Array<{ goal: string; measured: string; met: boolean | null }> = [];
  for (const c of results.config.connections) {
    const direct = cell(results, 'json', c, 'direct');
    const plumb = cell(results, 'json', c, 'plumb');
    const portkey = cell(results, 'json', c, 'portkey');
    if (!direct || !plumb) continue;
    const addedP50 = plumb.p50 - direct.p50;
    const addedP99 = plumb.p99 - direct.p99;
    rows.push({ goal: `added p50 ≤ ${GOALS.addedP50Ms} ms (c=${c})`, measured: `${signed(addedP50)} ms`, met: addedP50 <= GOALS.addedP50Ms });
    rows.push({ goal: `added p99 ≤ ${GOALS.addedP99Ms} ms (c=${c})`, measured: `${signed(addedP99)} ms`, met: addedP99 <= GOALS.addedP99Ms });
    const proxy = cell(results, 'json', c, 'node-proxy');
    if (proxy) rows.push({ goal: `(context) req/s of a bare Node proxy over Portkey's (c=${c})`, measured: `${(portkey ? proxy.rps / portkey.rps : Number.NaN).toFixed(2)}× (${f0(proxy.rps)}); plumb reaches ${((plumb.rps / proxy.rps) * 100).toFixed(0)}% of it`, met: null });
    if (portkey) {
      const ratio = plumb.rps / portkey.rps;
      rows.push({ goal: `req/s ≥ ${GOALS.rpsOverPortkey}× Portkey (c=${c})`, measured: `${ratio.toFixed(2)}× (${f0(plumb.rps)} vs ${f0(portkey.rps)})`, met: ratio >= GOALS.rpsOverPortkey });
    }
  }
  return rows;
}

/** The markdown report. */
export function renderResults(results: Results): string {
  const targets = [...new Set(results.measurements.map((m) => m.target))];
  const lines: string[] = [];
  lines.push('# Gateway overhead: plumb vs Portkey vs calling the upstream directly', '');
  lines.push(`Machine: ${machineLine(results.machine)}.`, '');
  lines.push(
    `Run: \`npx tsx bench/gateway-overhead/run.ts${results.config.pin ? ' --pin' : ''}\` — ${results.config.rounds} rounds of fresh servers, each burned in with ${results.config.burnInS ?? 0} s of unmeasured load (JIT warm-up: warmup-curve.ts), then each load ${results.config.warmupS} s warm-up + ${results.config.durationS} s measured with autocannon ` +
      `(pipelining 1) from the parent process; every server in its own child process on 127.0.0.1; targets interleaved in rotating order; medians over rounds. ` +
      `Took ${results.durationS} s.`,
    '',
  );
  if (results.config.pin) {
    lines.push(
      '**Pinned**: each gateway (every thread it has: event loop, GC helpers, plumb\'s SQLite writer) runs alone on CPU 0; the stub and the load generator share CPU 1 (`taskset`). ' +
        'Unpinned (RESULTS.md) the load generator and the stub take CPU from the gateway under test, the more the faster it is, and where the scheduler puts the threads moves one build\'s req/s by up to 1.5× between runs; pinned, req/s is what one core of the gateway serves.',
      '',
    );
  }
  lines.push(
    '- Every server is plain JavaScript in its own process, started without a TypeScript loader.',
    '- **direct**: autocannon → stub (a node:http server answering OpenAI chat completions at once, JSON or SSE with a usage chunk).',
    ...(targets.includes('node-proxy')
      ? ['- **node-proxy**: autocannon → a bare node:http server that reads the body and forwards it to the stub over a keep-alive agent, piping the answer back (servers/node-proxy.mjs). No parsing, auth, ledger or resilience: the floor for any Node.js gateway on this machine, so the other rows can be read against it.']
      : []),
    '- **plumb**: autocannon → plumb\'s real server as `plumb serve` runs it, compiled (dist/, built first when stale; `createPlumb()` + `startServer()`, open local mode on 127.0.0.1, SQLite store) `POST /v1/chat/completions` with `model: "fast"` (a gateway alias → provider `stub`, OpenAI-compatible, keep-alive connection pool) → stub. The whole request path runs: body limit, auth, zod body parsing, `Plumb.chat` with its trace, the gateway layers with one ledger row per request. **The exact cache is off** (`cache: { exact: false }`), so every request reaches the upstream; with it on, repeated identical requests would measure cache hits instead.',
    `- **portkey**: autocannon → Portkey's gateway ${results.portkey.version ?? '(not run)'} (npm, \`@hono/node-server\` overridden to 1.13.5, started headless with NODE_ENV=production, provider openai with \`x-portkey-custom-host\` = the stub), bound to ${results.portkey.boundTo.join(', ') || '–'} (checked with \`ss -ltnp\`).`,
    '',
  );

  lines.push('## Goals', '', '| goal | measured | met |', '|---|---|---|');
  for (const row of goalRows(results)) lines.push(`| ${row.goal} | ${row.measured} | ${row.met === null ? '–' : row.met ? 'yes' : '**no**'} |`);
  lines.push('');

  for (const mode of ['json', 'stream'] as const) {
    lines.push(`## ${mode === 'json' ? 'JSON responses' : 'Streamed responses (whole stream)'}`, '');
    lines.push('| c | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | server CPU µs/req | errors |', '|---|---|---|---|---|---|---|---|---|');
    for (const c of results.config.connections) {
      const direct = cell(results, mode, c, 'direct');
      for (const target of targets) {
        const m = cell(results, mode, c, target);
        if (!m) continue;
        const added = (x: number, d: number | undefined) => (target === 'direct' || d === undefined ? '' : signed(x - d));
        lines.push(`| ${c} | ${target} | ${f0(m.rps)} | ${f2(m.p50)} | ${f2(m.p99)} | ${added(m.p50, direct?.p50)} | ${added(m.p99, direct?.p99)} | ${f0(m.cpu)} | ${m.errors} |`);
      }
    }
    lines.push('');
  }

  lines.push('## Time to first token (streams, one connection, sequential)', '');
  lines.push('| target | first token p50 ms | first token p99 ms | added p50 ms | stream end p50 ms |', '|---|---|---|---|---|');
  const directTtft = ttftOf(results, 'direct');
  for (const target of targets) {
    const t = ttftOf(results, target);
    if (!t) continue;
    lines.push(`| ${target} | ${f2(t.p50)} | ${f2(t.p99)} | ${target === 'direct' || !directTtft ? '' : signed(t.p50 - directTtft.p50)} | ${f2(t.end)} |`);
  }
  lines.push('');

  lines.push('## Memory (RSS of each server process)', '');
  lines.push('| target | idle MB (after start) | peak MB (VmHWM) | start-up ms |', '|---|---|---|---|');
  for (const target of targets) {
    const idle = results.idle.filter((i) => i.target === target);
    lines.push(`| ${target === 'direct' ? 'stub' : target} | ${f2(median(idle.map((i) => i.rssMB)))} | ${f2(results.peakRssMB[target] ?? Number.NaN)} | ${f0(median(idle.map((i) => i.startupMs)))} |`);
  }
  lines.push('');
  lines.push(
    `Ledger: plumb booked ${results.ledger.lastRoundRows} rows in the last round for ${results.ledger.lastRoundResponses} responses its clients counted ` +
      '(autocannon stops with up to c requests in flight; those are answered and booked but not counted).',
    '',
  );
  return `${lines.join('\n')}\n`;
}
