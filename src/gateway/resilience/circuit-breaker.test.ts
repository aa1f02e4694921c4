import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { WireServer } from '../../providers/testing/index.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import type { BreakerState } from './circuit-breaker.ts';
import { BreakerRegistry, withResilience } from './resilient-provider.ts';
import { streamText as drain } from '../../providers/testing/stream-events.ts';

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };


describe('createCircuitBreaker', () => {
  it('opens after N consecutive failures, rejects without sending, probes after the delay and closes on success', async () => {
    let healthy = false;
    const server = await startOpenAIWireServer(() => (healthy ? { type: 'chat', text: 'back' } : { type: 'error', status: 500, message: 'boom', errorType: 'server_error' }));
    servers.push(server);
    const breaker = createCircuitBreaker('a', { failureThreshold: 3, halfOpenAfterMs: 120 });
    const states: BreakerState[] = [];
    breaker.onStateChange((state) => states.push(state));
    const model = breaker.middleware(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', providerName: 'a' }));

    for (let i = 0; i < 3; i++) await expect(model.generate(ask)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(breaker.state).toBe('open');
    expect(server.requests).toHaveLength(3);

    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      await expect(model.generate(ask)).rejects.toMatchObject({ code: 'unavailable', details: { provider: 'a', circuit: 'open' } });
    }
    // Fast because nothing was sent (the request count below is the real check); loose for busy machines.
    expect(performance.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(3);
    const rejection = await model.generate(ask).catch((err: unknown) => err);
    expect((rejection as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(breaker.snapshot()).toMatchObject({ provider: 'a', state: 'open', lastFailure: expect.stringContaining('boom') as unknown });

    await new Promise((resolve) => setTimeout(resolve, 130));
    healthy = true;
    expect((await model.generate(ask)).text).toBe('back'); // the half-open probe
    expect(breaker.state).toBe('closed');
    expect(server.requests).toHaveLength(4);
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('rejects other calls while a (streamed) probe runs, and opens again when a probe fails', async () => {
    let failing = false;
    const server = await startOpenAIWireServer((_, index) =>
      index < 2 || failing ? { type: 'error', status: 503, message: 'down' } : { type: 'chat', text: 'slow probe', delayMs: 40 },
    );
    servers.push(server);
    const breaker = createCircuitBreaker('a', { failureThreshold: 2, halfOpenAfterMs: 60 });
    const model = breaker.middleware(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    for (let i = 0; i < 2; i++) await expect(model.generate(ask)).rejects.toMatchObject({ code: 'upstream_error' });
    await new Promise((resolve) => setTimeout(resolve, 70));
    const probe = drain(model.stream(ask)); // a slow stream is the probe
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(breaker.state).toBe('half-open');
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'unavailable', details: { circuit: 'half-open' } });
    expect(await probe).toBe('slow probe');
    expect(breaker.state).toBe('closed');
    expect(server.requests).toHaveLength(3);

    failing = true;
    for (let i = 0; i < 2; i++) await expect(model.generate(ask)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(breaker.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 70));
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'upstream_error' }); // the probe fails
    expect(breaker.state).toBe('open');
    await expect(model.generate(ask)).rejects.toMatchObject({ details: { circuit: 'open' } });
    expect(server.requests).toHaveLength(6);
  });

  it('counts streams cut after their first token, but not caller errors', async () => {
    const server = await startOpenAIWireServer((_, index) =>
      index === 0 ? { type: 'error', status: 404, message: 'no such model' } : { type: 'chat', textChunks: ['a', 'b', 'c'], cutAfter: 2 },
    );
    servers.push(server);
    const breaker = createCircuitBreaker('a', { failureThreshold: 2, halfOpenAfterMs: 10_000 });
    const model = breaker.middleware(createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm' }));
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'not_found' });
    expect(breaker.state).toBe('closed');
    await expect(drain(model.stream(ask))).rejects.toMatchObject({ code: 'upstream_error' });
    expect(breaker.state).toBe('closed');
    await expect(drain(model.stream(ask))).rejects.toMatchObject({ code: 'upstream_error' });
    expect(breaker.state).toBe('open');
  });

  it('stops retries as soon as the breaker opens, and the registry reports every provider', async () => {
    const server = await startOpenAIWireServer(() => ({ type: 'error', status: 500, message: 'boom' }));
    servers.push(server);
    const registry = new BreakerRegistry();
    const model = withResilience(
      createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', providerName: 'dead' }),
      { retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { failureThreshold: 3, halfOpenAfterMs: 10_000 } },
      registry,
    );
    await expect(model.generate(ask)).rejects.toMatchObject({ code: 'unavailable', details: { circuit: 'open' } });
    expect(server.requests).toHaveLength(3);
    expect(registry.snapshots()).toEqual([expect.objectContaining({ provider: 'dead', state: 'open' })]);
  });
});
