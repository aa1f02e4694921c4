// What each layer of plumb's request path costs, in one process against the bench stub: the bare
// provider call, the gateway model (ledger, retry, breaker, timeouts around it), Plumb.chat (plus
// the trace) and the whole HTTP route through Hono (app.request: body parsing, zod, the answer's
// JSON). Levels are measured in interleaved rounds (drift hits all alike); CPU µs per call is the
// median over rounds, and each layer's cost is its level minus the one below. "main" is the main
// thread alone (the event loop), the rest is other threads (the SQLite writer thread, GC helpers).
//   npx tsx bench/gateway-overhead/layer-costs.ts [calls per round=1500] [rounds=5]
import { createOpenAICompatibleChat } from '../../src/providers/openai-compatible/index.ts';
import { mainThreadCpuMicrosOf } from './children.ts';
import { startInProcessPlumb } from './in-process-plumb.ts';

const calls = Number(process.argv[2] ?? 1500);
const rounds = Number(process.argv[3] ?? 5);
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
for (const [index, [label]] of levels.entries()) {
  const level = { all: median(samples[index]!.map((s) => s.all)), main: median(samples[index]!.map((s) => s.main)) };
  const layer = index > 0 ? `   layer ${(level.all - below.all).toFixed(0).padStart(4)} µs (main ${(level.main - below.main).toFixed(0).padStart(4)})` : '';
  console.log(`${label.padEnd(34)} ${level.all.toFixed(0).padStart(5)} µs CPU/call (main ${level.main.toFixed(0).padStart(4)})${layer}`);
  below = level;
}
await target.close();
