/**
 * From `gateway.embeddingAliases` to EmbeddingModels: each entry a provider's OpenAI-compatible
 * embeddings endpoint with that provider's retry, breaker (shared with its chat models) and total
 * timeout, and an alias with several entries a fallback chain over them.
 */
import { PlumbError } from '../../core/errors.ts';
import type { EmbeddingModel } from '../../core/model.ts';
import { modelPriceOf } from '../../core/usage.ts';
import { createOpenAICompatibleEmbeddings } from '../../providers/openai-compatible/index.ts';
import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import { gatewayPriceOf } from '../config/gateway-price.ts';
import type { BreakerRegistry } from '../resilience/resilient-provider.ts';
import { createEmbeddingFallback } from './embedding-fallback.ts';
import { withEmbeddingResilience } from './embedding-resilience.ts';

/** The vector space an alias embeds into: its distinct model ids and dimensions (the cache's scope). */
export function embeddingSpace(alias: GatewayConfig['embeddingAliases'][string]): string {
  return `${[...new Set(alias.models.map((m) => m.model))].join('|')}@${alias.dimensions}`;
}

/** Builds the (unwrapped) chain of an embedding alias; undefined for an unknown name. */
export function embeddingChainFromConfig(config: GatewayConfig, env: NodeJS.ProcessEnv, breakers: BreakerRegistry, name: string): EmbeddingModel | undefined {
  const alias = config.embeddingAliases[name];
  if (!alias) return undefined;
  const members = alias.models.map((entry) => {
    const provider = config.providers[entry.provider];
    if (!provider) throw new PlumbError('invalid_config', `gateway.embeddingAliases.${name}: unknown provider "${entry.provider}".`);
    const apiKey = provider.apiKeyEnv === undefined ? undefined : env[provider.apiKeyEnv];
    if (provider.apiKeyEnv !== undefined && !apiKey) {
      throw new PlumbError('invalid_config', `gateway.providers.${entry.provider}.apiKeyEnv names ${provider.apiKeyEnv}, which is not set.`, {
        hint: `export ${provider.apiKeyEnv}=<your key>, or remove apiKeyEnv for a server that needs no key.`,
      });
    }
    const price = gatewayPriceOf(config, entry.model, entry.provider);
    const bare = createOpenAICompatibleEmbeddings({
      baseURL: provider.baseUrl,
      model: entry.model,
      dimensions: alias.dimensions,
      providerName: entry.provider,
      // The provider's own timeout bounds each upstream request; ours bounds the whole attempt.
      timeoutMs: Math.max(provider.timeouts.connectMs, provider.timeouts.totalMs),
      ...(apiKey ? { apiKey } : {}),
      ...(price ? { price: modelPriceOf(price) } : {}),
      ...(alias.maxBatchSize !== undefined ? { maxBatchSize: alias.maxBatchSize } : {}),
    });
    return withEmbeddingResilience(bare, { retry: provider.retry, breaker: provider.breaker, totalMs: provider.timeouts.totalMs }, breakers);
  });
  return createEmbeddingFallback(members, name);
}
