/**
 * Fallback soak: N requests (default 4,000; half generate, half stream) through a fallback of two
 * local wire servers — OpenAI format first, with ~30% injected faults (429 with Retry-After, 500,
 * 503, resets, malformed JSON, streams cut before their first token), Anthropic format second,
 * healthy — each behind retry, breaker and timeouts. Measures the success rate and the latency
 * added by faults (p50/p99 of faulted requests minus the p50 of clean ones).
 * Run: npx tsx bench/gateway-soak/run.ts [requests] [concurrency]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChatModel } from '../../src/core/model.ts';
import { createFallbackModel } from '../../src/gateway/fallback/index.ts';
import { BreakerRegistry, withResilience } from '../../src/gateway/resilience/index.ts';
import { createAnthropicChat } from '../../src/providers/anthropic/index.ts';
import { createOpenAICompatibleChat } from '../../src/providers/openai-compatible/index.ts';
import { startAnthropicWireServer, startOpenAIWireServer } from '../../src/providers/testing/index.ts';
import type { OpenAIWireReply } from '../../src/providers/testing/index.ts';

const total = Number(process.argv[2] ?? 4000);
const concurrency = Number(process.argv[3] ?? 10);
const FAULT_RATE = 0.3;

// A seeded PRNG so every run injects the same faults.
let seed = 42;
const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

const faults: OpenAIWireReply[] = [
  { type: 'error', status: 429, message: 'rate limited', headers: { 'retry-after-ms': '5' } },
  { type: 'error', status: 500, message: 'boom' },
  { type: 'error', status: 503, message: 'overloaded' },
  { type: 'reset' },
  { type: 'text', body: '{"choices": [' },
  { type: 'chat', text: 'lost', cutAfter: 1 },
];
let faulted = 0;
const a = await startOpenAIWireServer(() => {
  if (random() < FAULT_RATE) {
    faulted += 1;
    return faults[Math.floor(random() * faults.length)] ?? { type: 'reset' };
  }
  return { type: 'chat', text: 'answer from a' };
});
const b = await startAnthropicWireServer(() => ({ type: 'message', text: 'answer from b' }));

const registry = new BreakerRegistry();
// Breaker: a windowed failure rate well above the injected 30%, so it trips only on a real outage.
const resilience = {
  retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 20 },
  breaker: { window: { failureRate: 0.9, durationMs: 5_000 }, halfOpenAfterMs: 1_000 },
  timeouts: { firstTokenMs: 2_000, totalMs: 5_000 },
};
const wrap = (model: ChatModel): ChatModel => withResilience(model, resilience, registry);
const gateway = createFallbackModel([
  wrap(createOpenAICompatibleChat({ baseURL: a.baseURL, model: 'gpt-4o-mini', providerName: 'a' })),
  wrap(createAnthropicChat({ baseURL: b.origin, apiKey: 'k', model: 'claude-3-5-haiku-latest', providerName: 'b' })),
]);

interface Sample { ms: number; ok: boolean; retried: boolean; fellBack: boolean }
const samples: Sample[] = [];
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };
let next = 0;
async function worker(): Promise<void> {
  while (next < total) {
    const i = next++;
    const started = performance.now();
    try {
      let metadata: Record<string, unknown> | undefined;
      if (i % 2 === 0) metadata = (await gateway.generate(ask)).metadata;
      else for await (const event of gateway.stream(ask)) if (event.type === 'finish') metadata = event.metadata;
      samples.push({ ms: performance.now() - started, ok: true, retried: typeof metadata?.['retries'] === 'number', fellBack: metadata?.['fallback'] === true });
    } catch {
      samples.push({ ms: performance.now() - started, ok: false, retried: false, fellBack: false });
    }
  }
}
const wall = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const wallMs = performance.now() - wall;
await Promise.all([a.close(), b.close()]);

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const clean = samples.filter((s) => s.ok && !s.retried && !s.fellBack).map((s) => s.ms);
const hit = samples.filter((s) => s.ok && (s.retried || s.fellBack)).map((s) => s.ms);
const cleanP50 = quantile(clean, 0.5);
const round = (x: number): number => Math.round(x * 100) / 100;
const results = {
  requests: total,
  concurrency,
  injectedFaultRate: FAULT_RATE,
  faultsInjected: faulted,
  requestsToA: a.requests.length,
  requestsToB: b.requests.length,
  successRate: samples.filter((s) => s.ok).length / total,
  retried: samples.filter((s) => s.retried).length,
  fellBack: samples.filter((s) => s.fellBack).length,
  cleanLatencyMs: { p50: round(cleanP50), p99: round(quantile(clean, 0.99)) },
  extraLatencyOfFaultedMs: { p50: round(quantile(hit, 0.5) - cleanP50), p99: round(quantile(hit, 0.99) - cleanP50) },
  requestsPerSecond: round(total / (wallMs / 1000)),
  breakers: registry.snapshots().map((s) => ({ provider: s.provider, state: s.state })),
  node: process.version,
};
const dir = path.dirname(new URL(import.meta.url).pathname);
fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
