import { afterEach, describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../core/model.ts';
import { createAnthropicChat } from '../../providers/anthropic/index.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startAnthropicWireServer, startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { WireServer } from '../../providers/testing/index.ts';
import { withTimeouts } from './timeouts.ts';

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

async function drain(events: AsyncIterable<ChatStreamEvent>, seen: string[] = []): Promise<string[]> {
  for await (const event of events) if (event.type === 'text-delta') seen.push(event.text);
  return seen;
}

describe('withTimeouts', () => {
  it('fails a hanging generate call after totalMs with upstream_timeout', async () => {
    const server = await startOpenAIWireServer([{ type: 'hang' }]);
    servers.push(server);
    const model = withTimeouts({ totalMs: 80 })(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', providerName: 'a' }));
    const started = performance.now();
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'upstream_timeout', details: { provider: 'a', timeout: 'total' } });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(75);
    expect(elapsed).toBeLessThan(500);
  });

  it('fails a stream whose first token is slow (Anthropic format), before anything reached the caller', async () => {
    const server = await startAnthropicWireServer([{ type: 'message', text: 'late answer', delayMs: 150 }]);
    servers.push(server);
    const model = withTimeouts({ firstTokenMs: 60, totalMs: 5000 })(createAnthropicChat({ baseURL: server.origin, apiKey: 'k', model: 'claude-3-5-haiku-latest' }));
    const seen: string[] = [];
    await expect(drain(model.stream(ask), seen)).rejects.toMatchObject({ code: 'upstream_timeout', details: { timeout: 'firstToken', afterFirstToken: false } });
    expect(seen).toEqual([]);
  });

  it('lets a stream run past firstTokenMs once its first token came', async () => {
    // Generous margins: the first token comes after ~150 ms (well inside 400 ms even on a busy
    // machine) and the whole stream takes ~600 ms, past the first-token limit.
    const server = await startOpenAIWireServer([{ type: 'chat', textChunks: ['a', 'b', 'c', 'd'], delayMs: 150 }]);
    servers.push(server);
    const model = withTimeouts({ firstTokenMs: 400, totalMs: 5000 })(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    const started = performance.now();
    expect((await drain(model.stream(ask))).join('')).toBe('abcd');
    expect(performance.now() - started).toBeGreaterThan(400);
  });

  it('ends a stream that stalls after its first token with a clean timeout error, not a short answer', async () => {
    const server = await startOpenAIWireServer([{ type: 'chat', textChunks: ['partial ', 'answer'], stallAfter: 2 }]);
    servers.push(server);
    const model = withTimeouts({ firstTokenMs: 500, totalMs: 120 })(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    const seen: string[] = [];
    await expect(drain(model.stream(ask), seen)).rejects.toMatchObject({ code: 'upstream_timeout', details: { timeout: 'total', afterFirstToken: true } });
    expect(seen).toEqual(['partial ']);
  });

  it('passes the caller abort through unchanged', async () => {
    const server = await startOpenAIWireServer([{ type: 'hang' }]);
    servers.push(server);
    const model = withTimeouts({ totalMs: 5000 })(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 20);
    await expect(model.generate({ ...ask, signal: controller.signal })).rejects.toBe(reason);
  });
});
