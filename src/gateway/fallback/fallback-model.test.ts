import { afterEach, describe, expect, it } from 'vitest';
import type { ChatModel, ChatStreamEvent } from '../../core/model.ts';
import { createAnthropicChat } from '../../providers/anthropic/index.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startAnthropicWireServer, startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { OpenAIWireScript, WireServer } from '../../providers/testing/index.ts';
import { BreakerRegistry, withResilience } from '../resilience/resilient-provider.ts';
import { createFallbackModel } from './fallback-model.ts';

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

async function openai(script: OpenAIWireScript, name: string): Promise<{ server: WireServer; model: ChatModel }> {
  const server = await startOpenAIWireServer(script);
  servers.push(server);
  return { server, model: createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini', providerName: name }) };
}
async function anthropicHealthy(): Promise<{ server: WireServer; model: ChatModel }> {
  const server = await startAnthropicWireServer(() => ({ type: 'message', text: 'from b' }));
  servers.push(server);
  return { server, model: createAnthropicChat({ baseURL: server.origin, apiKey: 'k', model: 'claude-3-5-haiku-latest', providerName: 'b' }) };
}
async function collect(events: AsyncIterable<ChatStreamEvent>, seen: string[] = []): Promise<ChatStreamEvent[]> {
  const out: ChatStreamEvent[] = [];
  for await (const event of events) {
    out.push(event);
    if (event.type === 'text-delta') seen.push(event.text);
  }
  return out;
}

describe('createFallbackModel', () => {
  it.each([
    ['429 with Retry-After', { type: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '20' } }],
    ['500', { type: 'error', status: 500, message: 'boom' }],
    ['503', { type: 'error', status: 503, message: 'overloaded' }],
    ['malformed JSON', { type: 'text', body: '{"choices": [' }],
    ['a reset connection', { type: 'reset' }],
  ] as const)('falls over to the next provider on %s, and says so in metadata', async (_, reply) => {
    const a = await openai([reply], 'a');
    const b = await anthropicHealthy();
    const response = await createFallbackModel([a.model, b.model]).generate(ask);
    expect(response.text).toBe('from b');
    expect(response.metadata).toEqual({ provider: 'b', model: 'claude-3-5-haiku-latest', attempts: 2, fallback: true });
    expect([a.server.requests.length, b.server.requests.length]).toEqual([1, 1]);
  });

  it('answers from the first provider when it is healthy (fallback: false)', async () => {
    const a = await openai([{ type: 'chat', text: 'from a' }], 'a');
    const b = await anthropicHealthy();
    const response = await createFallbackModel([a.model, b.model]).generate(ask);
    expect(response.metadata).toMatchObject({ provider: 'a', attempts: 1, fallback: false });
    expect(b.server.requests).toHaveLength(0);
  });

  it.each([400, 401, 404])('does not fall over on the caller\'s %i', async (status) => {
    const a = await openai([{ type: 'error', status, message: 'your fault' }], 'a');
    const b = await anthropicHealthy();
    await expect(createFallbackModel([a.model, b.model]).generate(ask)).rejects.toMatchObject({ status });
    expect(b.server.requests).toHaveLength(0);
  });

  it('fails over a stream cut before its first token, with metadata on the finish event', async () => {
    const a = await openai([{ type: 'chat', text: 'never seen', cutAfter: 1 }], 'a');
    const b = await anthropicHealthy();
    const seen: string[] = [];
    const events = await collect(createFallbackModel([a.model, b.model]).stream(ask), seen);
    expect(seen.join('')).toBe('from b');
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'finish', metadata: { provider: 'b', attempts: 2, fallback: true } });
  });

  it('ends a stream cut after its first token with an error: no failover, no duplicated prefix', async () => {
    const a = await openai([{ type: 'chat', textChunks: ['Hello ', 'wor', 'ld'], cutAfter: 2 }], 'a');
    const b = await anthropicHealthy();
    const seen: string[] = [];
    await expect(collect(createFallbackModel([a.model, b.model]).stream(ask), seen)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(seen).toEqual(['Hello ']);
    expect(b.server.requests).toHaveLength(0);
  });

  it('reports every failure, as a 429 with the shortest Retry-After when all were rate limited', async () => {
    const a = await openai([{ type: 'error', status: 429, message: 'a busy', headers: { 'retry-after': '7' } }], 'a');
    const c = await openai([{ type: 'error', status: 429, message: 'c busy', headers: { 'retry-after-ms': '2500' } }], 'c');
    const error = await createFallbackModel([a.model, c.model], { name: 'cheap' }).generate(ask).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 2.5, details: { chain: 'cheap' } });
    expect((error as Error).message).toContain('a busy');
    expect((error as Error).message).toContain('c busy');
  });

  it('keeps every request succeeding while one provider is healthy; the dead one\'s breaker opens and it gets no more traffic', async () => {
    const a = await openai(() => ({ type: 'error', status: 503, message: 'down' }), 'a');
    const b = await anthropicHealthy();
    const registry = new BreakerRegistry();
    const resilient = (model: ChatModel): ChatModel =>
      withResilience(model, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, breaker: { failureThreshold: 4, halfOpenAfterMs: 60_000 }, timeouts: { totalMs: 2000, firstTokenMs: 1000 } }, registry);
    const gateway = createFallbackModel([resilient(a.model), resilient(b.model)]);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? gateway.generate(ask).then((r) => r.text) : collect(gateway.stream(ask)).then(() => 'from b'))),
    );
    expect(results.every((text) => text === 'from b')).toBe(true);
    expect(registry.snapshots().map((s) => [s.provider, s.state])).toEqual([['a', 'open'], ['b', 'closed']]);
    const sentToDead = a.server.requests.length;
    expect(sentToDead).toBeLessThanOrEqual(30 * 2);
    for (let i = 0; i < 10; i++) expect((await gateway.generate(ask)).metadata).toMatchObject({ provider: 'b', fallback: true });
    expect(a.server.requests).toHaveLength(sentToDead); // rejected fast by the open breaker
  });
});
