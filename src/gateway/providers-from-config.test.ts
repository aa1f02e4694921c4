import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel } from '../core/model.ts';
import { startUnacceptedListener } from '../providers/http/unaccepted-listener.ts';
import type { UnacceptedListener } from '../providers/http/unaccepted-listener.ts';
import { startAnthropicWireServer, startOpenAIWireServer } from '../providers/testing/index.ts';
import type { AnthropicWireServer } from '../providers/testing/index.ts';
import { parseGatewayConfig } from './config/parse-gateway-config.ts';
import { gatewayModelsFromConfig } from './providers-from-config.ts';

let blackhole: UnacceptedListener;
let healthy: AnthropicWireServer;
beforeAll(async () => {
  blackhole = await startUnacceptedListener();
  healthy = await startAnthropicWireServer(() => ({ type: 'message', text: 'answer from up' }));
});
afterAll(async () => {
  await Promise.all([blackhole.close(), healthy.close()]);
});

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('gateway.providers.*.timeouts.connectMs', () => {
  it('a provider that never completes its connect is retried, then the chain falls back to a healthy one', async () => {
    const config = parseGatewayConfig({
      providers: {
        down: {
          type: 'openai-compatible',
          baseUrl: `${blackhole.origin}/v1`,
          models: ['m'],
          timeouts: { connectMs: 200 },
          retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
        },
        up: { type: 'anthropic', baseUrl: healthy.origin, models: ['claude-3-5-haiku-latest'] },
      },
      fallbacks: { chat: [{ provider: 'down', model: 'm' }, { provider: 'up', model: 'claude-3-5-haiku-latest' }] },
    });
    const models = gatewayModelsFromConfig(config, {});
    const chat = models.resolve('chat')!;

    const started = performance.now();
    const response = await chat.generate(request);
    const ms = performance.now() - started;
    expect(response.text).toBe('answer from up');
    expect(response.metadata).toMatchObject({ provider: 'up', fallback: true });
    // Two connect attempts of 200 ms each at the provider that is down, then the healthy one.
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(2_000);

    const streamed: string[] = [];
    for await (const event of chat.stream(request)) if (event.type === 'text-delta') streamed.push(event.text);
    expect(streamed.join('')).toBe('answer from up');
  });

  it('defaults to 5 s', () => {
    const config = parseGatewayConfig({ providers: { p: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', models: ['m'] } } });
    expect(config.providers['p']?.timeouts.connectMs).toBe(5_000);
  });
});

describe('gateway.providers.*.timeouts.totalMs', () => {
  it('bounds a generate call that never answers (the provider keeps the clock, with or without a layer in between)', async () => {
    const hanging = await startOpenAIWireServer(() => ({ type: 'hang' }));
    try {
      const config = parseGatewayConfig({
        providers: { slow: { type: 'openai-compatible', baseUrl: hanging.baseURL, models: ['m'], timeouts: { totalMs: 100 }, retry: { maxAttempts: 1 } } },
      });
      for (const wrapProvider of [undefined, (model: ChatModel) => model]) {
        const model = gatewayModelsFromConfig(config, {}, undefined, wrapProvider).resolve('slow/m')!;
        const started = performance.now();
        await expect(model.generate(request)).rejects.toMatchObject({ code: 'upstream_timeout', details: { provider: 'slow' } });
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(95);
        expect(elapsed).toBeLessThan(1_000);
      }
    } finally {
      await hanging.close();
    }
  });
});
