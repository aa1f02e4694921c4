// What each layer of plumb's request path costs, in one process against the bench stub: the bare
// provider call, the gateway model (ledger, retry, breaker, timeouts around it), Plumb.chat (plus
// the trace) and the whole HTTP route through Hono (app.request: body parsing, zod, the answer's
// JSON). Levels are measured in interleaved rounds (drift hits all alike); CPU µs per call is the
// median over rounds, and each layer's cost is its level minus the one below. "main" is the main
// thread alone (the event loop), the rest is other threads (the SQLite writer thread, GC helpers).
//   npx tsx bench/gateway-overhead/layer-costs.ts [calls per round=1500] [rounds=5] [--write]
// --write saves layers.json and LAYERS.md here.
import { createOpenAICompatibleChat } from '../../src/providers/openai-compatible/index.ts';
import { writeFileSync } from 'node:fs';
import { machineInfo, machineLine } from '../machine.ts';
import { mainThreadCpuMicrosOf } from './children.ts';
import { startInProcessPlumb } from './in-process-plumb.ts';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const calls = Number(positional[0] ?? 1500);
const rounds = Number(positional[1] ?? 5);
const target = await startInProcessPlumb();
const request = { messages: [{ role: 'user' as const, content: 'Say something short.' }] };
const provider = createOpenAICompatibleChat({ baseURL: target.upstream, model: 'm', providerName: 'stub' });
const gatewayModel = target.plumb.gateway.resolve('fast')!;

const levels: Array<[string, () => Promise<unknown>]> = [
  ['provider (HTTP to the stub)', () => provider.generate(request)],
  ['+ gateway layers', () => gatewayModel.generate({ ...request, tenantId: 'default' })],
  ['+ trace (Plumb.chat)', () => target.plumb.chat(request, { model: 'fast' })],
  ['+ HTTP route (Hono, zod, JSON)', () => target.call(false)],
];

async function cpuPerCall(once: () => Promise<unknown>): Promise<{ all: number; main: number }> {
  const cpu = process.cpuUsage();
  const main = mainThreadCpuMicrosOf(process.pid);
  for (let i = 0; i < calls; i++) await once();
  const used = process.cpuUsage(cpu);
  return { all: (used.user + used.system) / calls, main: (mainThreadCpuMicrosOf(process.pid) - main) / calls };
}

for (const [, once] of levels) for (let i = 0; i < 1000; i++) await once(); // JIT warm-up
const samples = levels.map(() => [] as Array<{ all: number; main: number }>);
for (let round = 0; round < rounds; round++) {
  for (const [index, [, once]] of levels.entries()) samples[index]!.push(await cpuPerCall(once));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
let below = { all: 0, main: 0 };
const rows: Array<{ level: string; cpuUs: number; mainUs: number; layerUs: number | null; layerMainUs: number | null }> = [];
for (const [index, [label]] of levels.entries()) {
  const level = { all: median(samples[index]!.map((s) => s.all)), main: median(samples[index]!.map((s) => s.main)) };
  const layer = index > 0 ? `   layer ${(level.all - below.all).toFixed(0).padStart(4)} µs (main ${(level.main - below.main).toFixed(0).padStart(4)})` : '';
  console.log(`${label.padEnd(34)} ${level.all.toFixed(0).padStart(5)} µs CPU/call (main ${level.main.toFixed(0).padStart(4)})${layer}`);
  rows.push({ level: label, cpuUs: Math.round(level.all), mainUs: Math.round(level.main), layerUs: index > 0 ? Math.round(level.all - below.all) : null, layerMainUs: index > 0 ? Math.round(level.main - below.main) : null });
  below = level;
}
if (process.argv.includes('--write')) {
  const machine = machineInfo();
  const dir = new URL('.', import.meta.url);
  writeFileSync(new URL('layers.json', dir), `${JSON.stringify({ machine, calls, rounds, rows }, null, 2)}\n`);
  writeFileSync(new URL('LAYERS.md', dir), [
    '# Where a gateway request\'s CPU goes, layer by layer',
    '',
    `Machine: ${machineLine(machine)}. Run: \`npx tsx bench/gateway-overhead/layer-costs.ts ${calls} ${rounds} --write\` — one process, the stub in a child process; ${rounds} interleaved rounds of ${calls} calls per level, medians. "main" is the event-loop thread alone; the rest of the process (the SQLite writer thread, GC helpers) makes up the difference.`,
    '',
    '| level | CPU µs/call | main thread | this layer | this layer, main thread |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.level} | ${r.cpuUs} | ${r.mainUs} | ${r.layerUs ?? ''} | ${r.layerMainUs ?? ''} |`),
    '',
    'The HTTP route level goes through `app.request()`, which builds a web `Request`; the real server avoids that (@hono/node-server hands Hono a lighter one), so that layer is smaller there.',
    '',
    'This runs the TypeScript sources in one process. Three runs minutes apart on this shared machine (2026-11-26) gave provider 145 / 99 / 85 µs, gateway layers +72 / +60 / +119, trace +69 / +29 / +26, HTTP route +369 / +333 / +439: a level can move by up to a factor of two between runs, so read this as where the CPU goes, not as a measurement of any one layer.',
    '',
  ].join('\n'));
  console.log('wrote layers.json and LAYERS.md');
}
await target.close();
