import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load-config.ts';
import { gatewayPriceOf, unusedPriceKeys } from './gateway-price.ts';

const price = (input: number) => ({ inputPerMTok: input, outputPerMTok: input });
const provider = (models: string[]) => ({ type: 'openai-compatible' as const, baseUrl: 'http://127.0.0.1:1/v1', models });

describe('gatewayPriceOf', () => {
  const config = { prices: { 'groq/llama3.1': price(0.05), 'llama3.1': price(0) } };

  it("prefers the provider's own price for its model, else the model's", () => {
    expect(gatewayPriceOf(config, 'llama3.1', 'groq')?.inputPerMTok).toBe(0.05);
    expect(gatewayPriceOf(config, 'llama3.1', 'local')?.inputPerMTok).toBe(0);
    expect(gatewayPriceOf(config, 'llama3.1')?.inputPerMTok).toBe(0);
    expect(gatewayPriceOf(config, 'gpt-4o', 'groq')).toBeUndefined();
  });
});

describe('unusedPriceKeys', () => {
  it('finds keys that name no model a provider, an embedding alias or the answer model uses', () => {
    const gateway = {
      providers: { groq: provider(['llama3.1']), openai: provider(['gpt-4o-mini', 'text-embedding-3-small']) },
      embeddingAliases: { embed: { dimensions: 8, models: [{ provider: 'openai', model: 'text-embedding-3-large' }] } },
      prices: { 'groq/llama3.1': price(1), 'gpt-4o-mini': price(1), 'openai/text-embedding-3-large': price(1), 'my-answer-model': price(1), 'groq/gpt-4o-mini': price(1), 'gpt4o-mini': price(1) },
    };
    expect(unusedPriceKeys(gateway, ['my-answer-model', undefined])).toEqual(['groq/gpt-4o-mini', 'gpt4o-mini']);
  });

  it('makes a price that would price nothing a configuration error that lists what is configured', () => {
    const raw = { gateway: { providers: { up: provider(['m1']) }, aliases: { fast: { provider: 'up', model: 'm1' } }, prices: { 'up/m2': price(1) } } };
    expect(() => validateConfig(raw, 'plumb.config.yaml', {})).toThrow(/gateway\.prices names "up\/m2", which no configured provider lists/);
    try {
      validateConfig(raw, 'plumb.config.yaml', {});
    } catch (error) {
      expect((error as { hint?: string }).hint).toContain('up/m1');
    }
    expect(() => validateConfig({ ...raw, gateway: { ...raw.gateway, prices: { 'up/m1': price(1) } } }, 'plumb.config.yaml', {})).not.toThrow();
  });
});
