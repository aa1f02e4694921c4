/**
 * From the gateway's configuration to ChatModels: one provider model per configured
 * { provider, model }, each wrapped in its retry, breaker and timeouts, and every alias resolved
 * to one of those or to a fallback chain over them. The composition root (app.ts) calls this.
 */
import { PlumbError } from '../core/errors.ts';
import type { ChatModel } from '../core/model.ts';
import { modelPriceOf, type ModelPrice } from '../core/usage.ts';
import { createAnthropicChat } from '../providers/anthropic/index.ts';
import { createOpenAICompatibleChat } from '../providers/openai-compatible/index.ts';
import type { GatewayConfig, GatewayProviderConfig } from './config/gateway-config-schema.ts';
import { gatewayPriceOf } from './config/gateway-price.ts';
import { providerModelName } from './config/provider-model-name.ts';
import { createFallbackModel } from './fallback/fallback-model.ts';
import { wrapChat } from './middleware.ts';
import { BreakerRegistry, withResilience } from './resilience/resilient-provider.ts';

/** The models a gateway configuration describes. */
export interface GatewayModels {
  /** The breakers of every provider, for /healthz. */
  readonly breakers: BreakerRegistry;
  /** One provider's model with its resilience (retry, breaker, timeouts). */
  model(provider: string, model: string): ChatModel;
  /** A fallback chain by name. */
  chain(name: string): ChatModel;
  /** What a caller's `model` names: an alias, a chain, or "provider/model"; undefined if none. */
  resolve(name: string): ChatModel | undefined;
}

/** Builds the provider ChatModels (bare, no resilience), reading API keys from `env`. */
export function providersFromConfig(config: GatewayConfig, env: NodeJS.ProcessEnv): (provider: string, model: string) => ChatModel {
  return (name, model) => {
    const provider = config.providers[name];
    if (!provider) throw new PlumbError('invalid_config', `gateway.providers has no provider "${name}".`, { hint: `Configured: ${Object.keys(config.providers).join(', ') || 'none'}.` });
    return providerModel(name, provider, model, config, env);
  };
}

/** Builds every model, chain and alias of the configuration, sharing one breaker per provider. */
export function gatewayModelsFromConfig(
  config: GatewayConfig,
  env: NodeJS.ProcessEnv,
  breakers = new BreakerRegistry(),
  /** Wraps each bare provider model inside its resilience, e.g. with the provider's rate limits. */
  wrapProvider?: (model: ChatModel) => ChatModel,
): GatewayModels {
  const bare = providersFromConfig(config, env);
  const models = new Map<string, ChatModel>();
  const chains = new Map<string, ChatModel>();

  const model = (provider: string, modelId: string): ChatModel => {
    const key = `${provider}/${modelId}`;
    let built = models.get(key);
    if (!built) {
      const settings = config.providers[provider];
      built = withResilience(
        wrapProvider ? wrapProvider(bare(provider, modelId)) : bare(provider, modelId),
        {
          // The HTTP provider bounds a whole generate call by totalMs itself (providerModel below);
          // only a layer in between (the provider's rate limits, maybe on Redis) needs the outer clock.
          timeouts: { firstTokenMs: settings?.timeouts.firstTokenMs, totalMs: settings?.timeouts.totalMs, generateBoundInside: wrapProvider === undefined },
          ...(settings ? { retry: settings.retry, breaker: settings.breaker } : {}),
        },
        breakers,
      );
      models.set(key, built);
    }
    return built;
  };
  const chain = (name: string): ChatModel => {
    let built = chains.get(name);
    if (!built) {
      const entries = config.fallbacks[name];
      if (!entries) throw new PlumbError('invalid_config', `gateway.fallbacks has no chain "${name}".`, { hint: `Configured: ${Object.keys(config.fallbacks).join(', ') || 'none'}.` });
      built = createFallbackModel(entries.map((entry) => model(entry.provider, entry.model)), { name });
      chains.set(name, built);
    }
    return built;
  };
  const resolve = (name: string): ChatModel | undefined => {
    const alias = config.aliases[name];
    if (alias) return 'fallback' in alias ? chain(alias.fallback) : model(alias.provider, alias.model);
    if (config.fallbacks[name]) return chain(name);
    const named = providerModelName(config.providers, name);
    return named && config.providers[named.provider]!.models.includes(named.model) ? model(named.provider, named.model) : undefined;
  };
  return { breakers, model, chain, resolve };
}

function providerModel(name: string, provider: GatewayProviderConfig, model: string, config: GatewayConfig, env: NodeJS.ProcessEnv): ChatModel {
  const apiKey = provider.apiKeyEnv === undefined ? undefined : env[provider.apiKeyEnv];
  if (provider.apiKeyEnv !== undefined && !apiKey) {
    throw new PlumbError('invalid_config', `gateway.providers.${name}.apiKeyEnv names ${provider.apiKeyEnv}, which is not set.`, {
      hint: `export ${provider.apiKeyEnv}=<your key>, or remove apiKeyEnv for a server that needs no key.`,
    });
  }
  const configured = gatewayPriceOf(config, model, name);
  const price: ModelPrice | undefined = configured && modelPriceOf(configured);
  const common = { model, providerName: name, ...(price ? { price } : {}) };
  // The provider's own timeout bounds the wait for response headers and, in a stream, every
  // silence between chunks; a generate call has no such seam, so there it bounds the whole call.
  const streamTimeoutMs = Math.max(provider.timeouts.connectMs, provider.timeouts.firstTokenMs);
  const connectTimeoutMs = provider.timeouts.connectMs;
  const build = (timeoutMs: number): ChatModel =>
    provider.type === 'anthropic'
      ? createAnthropicChat({ ...common, baseURL: provider.baseUrl, apiKey: apiKey ?? '', timeoutMs, connectTimeoutMs })
      : createOpenAICompatibleChat({ ...common, baseURL: provider.baseUrl, ...(apiKey ? { apiKey } : {}), timeoutMs, connectTimeoutMs });
  const forGenerate = build(provider.timeouts.totalMs);
  const forStream = build(streamTimeoutMs);
  return wrapChat(forGenerate, { stream: (request) => forStream.stream(request) });
}
