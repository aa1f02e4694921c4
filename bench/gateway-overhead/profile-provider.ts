// In-process profile of the provider HTTP layer alone: the OpenAI-compatible provider calling
// the bench stub (its own child process) N times in a row, JSON and streamed, reporting this
// process's CPU µs per call. Run with `node --cpu-prof --import tsx` to see where the time goes.
//   npx tsx bench/gateway-overhead/profile-provider.ts [calls]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createOpenAICompatibleChat } from '../../src/providers/openai-compatible/index.ts';

const calls = Number(process.argv[2] ?? 5000);
const stubPath = fileURLToPath(new URL('./servers/stub.mjs', import.meta.url));
const stub = fork(stubPath, [], { execArgv: [], stdio: 'inherit' });
const port = await new Promise<number>((resolve) => stub.on('message', (m: { type: string; port: number }) => m.type === 'ready' && resolve(m.port)));
const model = createOpenAICompatibleChat({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'gpt-4o-mini', providerName: 'stub', apiKey: 'sk-bench' });
const request = { messages: [{ role: 'user' as const, content: 'Say something short.' }] };

async function measure(label: string, once: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(500, calls); i++) await once();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await once();
  const wallUs = Number(process.hrtime.bigint() - start) / 1000 / calls;
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${((used.user + used.system) / calls).toFixed(1)} µs CPU/call (user ${(used.user / calls).toFixed(1)}, sys ${(used.system / calls).toFixed(1)}), ${wallUs.toFixed(1)} µs wall/call`);
}

await measure('generate', () => model.generate(request));
await measure('stream  ', async () => {
  for await (const event of model.stream(request)) void event;
});
stub.disconnect();
stub.kill();
