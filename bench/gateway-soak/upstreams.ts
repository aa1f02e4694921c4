// The soak's two upstreams, in a child process of their own so their CPU does not sit on the
// gateway's event loop: provider a (OpenAI wire format) injects a fault into FAULT_RATE of its
// requests, drawn from a seeded PRNG; provider b (Anthropic wire format) is healthy. Answers vary
// in length so token counts and costs differ from row to row. Asked over IPC, it reports what it
// received and which faults it injected.
import { startAnthropicWireServer, startOpenAIWireServer } from '../../src/providers/testing/index.ts';
import type { OpenAIWireReply } from '../../src/providers/testing/index.ts';

const FAULT_RATE = Number(process.env['FAULT_RATE'] ?? 0.3);

// A seeded PRNG so every run injects the same mix of faults.
let seed = 42;
const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

type Fault = { kind: string; reply: OpenAIWireReply };
const ANY: Fault[] = [
  { kind: '429 retry-after-ms 5', reply: { type: 'error', status: 429, message: 'rate limited', headers: { 'retry-after-ms': '5' } } },
  { kind: '500', reply: { type: 'error', status: 500, message: 'boom' } },
  { kind: '503', reply: { type: 'error', status: 503, message: 'overloaded' } },
  { kind: 'connection reset', reply: { type: 'reset' } },
  { kind: 'malformed JSON', reply: { type: 'text', body: '{"choices": [' } },
];
// A cut SSE stream only means something to a streamed request (a JSON reply would ignore it).
const STREAM_ONLY: Fault = { kind: 'stream cut before first token', reply: { type: 'chat', text: 'lost', cutAfter: 1 } };

const faults: Record<string, number> = {};
const sentence = (n: number): string => Array.from({ length: 1 + (n % 9) }, (_, i) => `word${(n * 7 + i) % 97}`).join(' ');

const a = await startOpenAIWireServer((request, index) => {
  const streamed = (request.body as { stream?: unknown } | undefined)?.stream === true;
  if (random() < FAULT_RATE) {
    const pool = streamed ? [...ANY, STREAM_ONLY] : ANY;
    const fault = pool[Math.floor(random() * pool.length)]!;
    faults[fault.kind] = (faults[fault.kind] ?? 0) + 1;
    return fault.reply;
  }
  return { type: 'chat', text: `a: ${sentence(index)}` };
});
const b = await startAnthropicWireServer((_request, index) => ({ type: 'message', text: `b: ${sentence(index)}` }));

process.send?.({ type: 'ready', a: a.baseURL, b: b.origin });
process.on('message', (m: { type?: string }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', requestsToA: a.requests.length, requestsToB: b.requests.length, faults });
});
process.on('disconnect', () => {
  void Promise.all([a.close(), b.close()]).finally(() => process.exit(0));
});
