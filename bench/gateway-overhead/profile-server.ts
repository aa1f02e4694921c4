// In-process profile of plumb's real POST /v1/chat/completions: createPlumb() as in
// servers/plumb-gateway.mjs (alias `fast` → the stub, exact cache off), createApp() in open local
// mode, and N `app.request()` calls in a row, JSON and streamed, reporting CPU µs per call.
// The stub runs in its own child process. To see where the time goes:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/gateway-overhead/profile-server.ts [calls]
import { startInProcessPlumb } from './in-process-plumb.ts';

const calls = Number(process.argv[2] ?? 3000);
const target = await startInProcessPlumb();
const once = (stream: boolean) => target.call(stream);

async function measure(label: string, stream: boolean): Promise<void> {
  for (let i = 0; i < Math.min(500, calls); i++) await once(stream);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await once(stream);
  const wallUs = Number(process.hrtime.bigint() - start) / 1000 / calls;
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${((used.user + used.system) / calls).toFixed(1)} µs CPU/call (user ${(used.user / calls).toFixed(1)}, sys ${(used.system / calls).toFixed(1)}), ${wallUs.toFixed(1)} µs wall/call`);
}

await measure('json  ', false);
await measure('stream', true);
await target.close();
