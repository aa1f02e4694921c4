/**
 * Which configured price applies to a model at a provider. `gateway.prices` is keyed by
 * "provider/model" or by the bare model id; the provider's own key wins, since the same model
 * can cost differently at two providers (a hosted Llama and a local one).
 */
import type { GatewayConfig } from './gateway-config-schema.ts';

type Price = GatewayConfig['prices'][string];

export function gatewayPriceOf(config: Pick<GatewayConfig, 'prices'>, model: string, provider?: string): Price | undefined {
  return (provider !== undefined ? config.prices[`${provider}/${model}`] : undefined) ?? config.prices[model];
}

/**
 * Price keys that name no model plumb can call: neither a model a provider lists (bare or as
 * provider/model), nor an embedding alias's model, nor one of `otherModels` (the answer and
 * embedding models). Such a key would silently price nothing.
 */
export function unusedPriceKeys(
  config: {
    prices: Record<string, unknown>;
    providers: Record<string, { models: readonly string[] }>;
    embeddingAliases: Record<string, { models: ReadonlyArray<{ provider: string; model: string }> }>;
  },
  otherModels: ReadonlyArray<string | undefined>,
): string[] {
  const known = new Set<string>(otherModels.filter((m): m is string => m !== undefined));
  const add = (provider: string, model: string): void => {
    known.add(model);
    known.add(`${provider}/${model}`);
  };
  for (const [name, provider] of Object.entries(config.providers)) for (const model of provider.models) add(name, model);
  for (const alias of Object.values(config.embeddingAliases)) for (const entry of alias.models) add(entry.provider, entry.model);
  return Object.keys(config.prices).filter((key) => !known.has(key));
}
