// Where plumb's request path allocates: the in-process setup of profile-server.ts (createPlumb with
// the alias `fast` → the stub in a child process, createApp, app.request in a row), under V8's
// sampling heap profiler with collected objects included, so short-lived garbage counts too.
//   npx tsx bench/gateway-overhead/profile-allocations.ts [calls=3000] [json|stream] [--promoted]
// --promoted leaves out what a scavenge collected: only objects that lived long enough to reach
// the old generation (what makes scavenges slow and the old space grow between full GCs).
// Prints bytes allocated per call, by function and by file (top 25 each).
import { Session } from 'node:inspector/promises';
import { startInProcessPlumb } from './in-process-plumb.ts';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const calls = Number(positional[0] ?? 3000);
const stream = positional[1] === 'stream';
const promotedOnly = process.argv.includes('--promoted');
const target = await startInProcessPlumb();
const once = () => target.call(stream);
for (let i = 0; i < 500; i++) await once();

interface Node { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] }
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !promotedOnly });
for (let i = 0; i < calls; i++) await once();
const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: Node } };
session.disconnect();

const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
const walk = (node: Node) => {
  const file = node.callFrame.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/work\/main\//, '') || '(native)';
  const fn = `${node.callFrame.functionName || '(anon)'} ${file}:${node.callFrame.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + node.selfSize);
  byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
  total += node.selfSize;
  node.children.forEach(walk);
};
walk(profile.head);
const show = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / calls / 1024).toFixed(1).padStart(7)} KB/call  ${k}`).join('\n');
console.log(`${stream ? 'stream' : 'json'}: ${(total / calls / 1024).toFixed(1)} KB ${promotedOnly ? 'promoted to the old generation' : 'allocated'} per call (sampled)\n== by function\n${show(byFn)}\n== by file\n${show(byFile)}`);
await target.close();
