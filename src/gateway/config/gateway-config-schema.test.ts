import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicWireServer, startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { WireServer } from '../../providers/testing/index.ts';
import { gatewayModelsFromConfig, providersFromConfig } from '../providers-from-config.ts';
import { parseGatewayConfig } from './parse-gateway-config.ts';

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

const base = {
  providers: {
    openai: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'OPENAI_API_KEY', models: ['gpt-4o-mini'] },
    claude: { type: 'anthropic', baseUrl: 'http://127.0.0.1:1', apiKeyEnv: 'ANTHROPIC_API_KEY', models: ['claude-3-5-haiku-latest'] },
  },
  fallbacks: { main: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'claude', model: 'claude-3-5-haiku-latest' }] },
  aliases: { fast: { fallback: 'main' }, cheap: { provider: 'openai', model: 'gpt-4o-mini' } },
  prices: { 'gpt-4o-mini': { inputPerMTok: 1, outputPerMTok: 2 } },
};

describe('parseGatewayConfig', () => {
  it('fills defaults for timeouts, retry, breaker and limits', () => {
    const config = parseGatewayConfig(base);
    expect(config.providers['openai']).toMatchObject({
      timeouts: { connectMs: 5_000, firstTokenMs: 30_000, totalMs: 120_000 },
      retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5_000 },
      breaker: { failureThreshold: 5, halfOpenAfterMs: 30_000 },
      limits: {},
    });
  });

  it.each([
    [{ ...base, providers: { ...base.providers, openai: { ...base.providers.openai, type: 'azure' } } }, 'gateway.providers.openai.type'],
    [{ ...base, providers: { ...base.providers, openai: { ...base.providers.openai, apiKey: 'sk-123' } } }, 'gateway.providers.openai'],
    [{ ...base, providers: { ...base.providers, openai: { ...base.providers.openai, apiKeyEnv: 'sk-live-123' } } }, 'gateway.providers.openai.apiKeyEnv'],
    [{ ...base, fallbacks: { main: [{ provider: 'nope', model: 'x' }] } }, 'gateway.fallbacks.main.0.provider: unknown provider "nope"'],
    [{ ...base, fallbacks: { main: [{ provider: 'openai', model: 'gpt-5' }] } }, 'gateway.fallbacks.main.0.model'],
    [{ ...base, aliases: { fast: { fallback: 'missing' } } }, 'gateway.aliases.fast.fallback: unknown fallback chain "missing"'],
    [{ ...base, prices: { m: { inputPerMTok: -1, outputPerMTok: 0 } } }, 'gateway.prices.m.inputPerMTok'],
  ])('names the bad key (%#)', (raw, key) => {
    expect(() => parseGatewayConfig(raw, 'plumb.config.yaml')).toThrow(key);
  });
});

describe('providersFromConfig', () => {
  it('reads the API key from the named env var, and says which one is missing', async () => {
    const server = await startOpenAIWireServer([{ type: 'chat', text: 'ok', usage: { prompt_tokens: 1_000_000, completion_tokens: 0 } }], { apiKey: 'sk-env' });
    servers.push(server);
    const config = parseGatewayConfig({ ...base, providers: { ...base.providers, openai: { ...base.providers.openai, baseUrl: server.baseURL } } });
    const response = await providersFromConfig(config, { OPENAI_API_KEY: 'sk-env' })('openai', 'gpt-4o-mini').generate(ask);
    expect(response).toMatchObject({ text: 'ok', provider: 'openai', cost: { usd: 1 } }); // the configured price, not the list price
    expect(() => providersFromConfig(config, {})('openai', 'gpt-4o-mini')).toThrow('OPENAI_API_KEY');
  });

  it('resolves an alias to a fallback chain across both wire formats, with resilience and breakers', async () => {
    const a = await startOpenAIWireServer(() => ({ type: 'error', status: 500, message: 'boom' }));
    const b = await startAnthropicWireServer(() => ({ type: 'message', text: 'claude here' }), { apiKey: 'ak' });
    servers.push(a, b);
    const config = parseGatewayConfig({
      ...base,
      providers: {
        openai: { ...base.providers.openai, baseUrl: a.baseURL, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, breaker: { failureThreshold: 2, halfOpenAfterMs: 60_000 } },
        claude: { ...base.providers.claude, baseUrl: b.origin },
      },
    });
    const models = gatewayModelsFromConfig(config, { OPENAI_API_KEY: 'sk', ANTHROPIC_API_KEY: 'ak' });
    const fast = models.resolve('fast');
    expect(fast).toBeDefined();
    expect((await fast?.generate(ask))?.metadata).toMatchObject({ provider: 'claude', attempts: 2, fallback: true });
    expect(a.requests).toHaveLength(2); // two attempts, then the breaker opened
    expect(models.breakers.snapshots().find((s) => s.provider === 'openai')?.state).toBe('open');
    expect(models.resolve('claude/claude-3-5-haiku-latest')?.provider).toBe('claude');
    expect(models.resolve('unknown')).toBeUndefined();
  });
});
