/**
 * Builds the gateway from configuration: provider models with resilience and fallback chains,
 * then the tenant-level middleware every model call goes through — the cost ledger, the
 * exact/semantic cache, budgets (reserve-then-settle) and tenant rate limits — in that order, so
 * every request is booked once and a cache hit costs nothing and is never refused by a budget.
 */
import { join } from 'node:path';
import type { PlumbConfig } from '../config/schema.ts';
import type { ChatModel, EmbeddingModel } from '../core/model.ts';
import type { Store } from '../core/store.ts';
import { cacheWriteRate, modelPriceOf, type ModelPrice } from '../core/usage.ts';
import { resolvePrice } from '../providers/pricing.ts';
import { createBudgetMiddleware, readBudgetUsage, type TenantBudgetUsage } from './budgets/index.ts';
import { createCacheLayer, createMemoryCacheBackend, createRedisCacheBackend, createSqliteCacheBackend, type CacheBackend, type CacheLayer } from './cache/index.ts';
import { DEFAULT_SEMANTIC_POLICY, LEXICAL_SEMANTIC_POLICY } from './cache/default-policy.ts';
import { UseLiteEncoder } from '../providers/offline/use-lite/use-lite-encoder.ts';
import { composeEmbedding, embeddingBudget, embeddingCache, embeddingChainFromConfig, embeddingCostNanoUsd, embeddingLedger, embeddingRateLimit, embeddingSpace, type EmbeddingMiddleware } from './embeddings/index.ts';
import { gatewayPriceOf } from './config/gateway-price.ts';
import { providerModelName } from './config/provider-model-name.ts';
import { callCostNanoUsd } from './ledger/ledger-cost.ts';
import { ledgerMiddleware } from './ledger/index.ts';
import { InFlightCalls } from './ledger/in-flight-calls.ts';
import { createRateLimitMiddleware, openCounterStore, type CounterStore } from './limits/index.ts';
import { composeChat, wrapChat, type ChatMiddleware } from './middleware.ts';
import { gatewayModelsFromConfig, type GatewayModels } from './providers-from-config.ts';
import { createRouter, routerOptionsFromConfig, tagsRoutedOn } from './routing/index.ts';

export interface Gateway {
  /** Provider models, fallback chains and breakers from `gateway:` config. */
  models: GatewayModels;
  cache: CacheLayer;
  /** Wraps a model with the tenant-level middleware (cache, budgets, limits). */
  wrap(model: ChatModel): ChatModel;
  /** A configured alias, chain or provider/model, wrapped; undefined for an unknown name. */
  resolve(name: string): ChatModel | undefined;
  /**
   * A configured embedding alias (gateway.embeddingAliases) wrapped in the ledger, the per-text
   * cache and budgets, over its fallback chain; undefined for an unknown name.
   */
  resolveEmbedding(name: string): EmbeddingModel | undefined;
  /** Where a tenant's budgets stand now (limit, spent, reserved, remaining, reset per window). */
  budgetUsage(tenantId: string): Promise<TenantBudgetUsage>;
  close(): Promise<void>;
}

/** How long closing waits for model calls still in flight to book their ledger rows. */
const CLOSE_WAIT_MS = 5_000;

/** The gateway for a configuration; opens Redis connections when the config asks for them. */
export async function createGateway(
  config: PlumbConfig,
  env: NodeJS.ProcessEnv,
  store: Pick<Store, 'appendLedgerEntry' | 'getCachedEmbeddings' | 'putCachedEmbeddings'>,
): Promise<Gateway> {
  const counters: CounterStore[] = [];
  // Provider limits (limits.providers, else gateway.providers.*.limits) sit inside each provider's
  // resilience, so hitting one turns into a retry after its Retry-After or a fallback.
  const providerLimits = Object.fromEntries(
    Object.entries(config.gateway.providers)
      .map(([name, p]) => [name, config.limits.providers[name] ?? p.limits] as const)
      .filter(([, limit]) => limit.rpm !== undefined || limit.tpm !== undefined)
      .map(([name, limit]) => [name, { ...(limit.rpm !== undefined ? { rpm: limit.rpm } : {}), ...(limit.tpm !== undefined ? { tpm: limit.tpm } : {}) }]),
  );
  let wrapProvider: ChatMiddleware | undefined;
  if (Object.keys(providerLimits).length > 0) {
    const store = await openCounterStore(counterBackend(config.limits.backend));
    counters.push(store);
    wrapProvider = createRateLimitMiddleware({ counters: store, providers: providerLimits, defaultTenant: config.defaultTenant, defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens });
  }
  const models = gatewayModelsFromConfig(config.gateway, env, undefined, wrapProvider);
  const routerOptions = config.routing ? routerOptionsFromConfig(config.routing, (name) => models.resolve(name), config.defaultTenant) : undefined;
  const router = routerOptions ? createRouter(routerOptions) : undefined;
  const cacheBackend = cacheBackendFromConfig(config);
  // The gateway's own USE-lite encoder (threads on demand), closed with it; none when nothing uses it.
  const encoder = config.cache.semantic !== 'off' && config.cache.encoder === 'use-lite' ? new UseLiteEncoder({ threads: config.cache.encoderThreads }) : undefined;
  const cache = createCacheLayer({
    ...(encoder ? { encoder, maxEncoderBacklog: 8 * encoder.threads } : {}),
    backend: cacheBackend,
    exact: config.cache.exact,
    semantic: config.cache.semantic,
    ttlMs: config.cache.ttlSeconds * 1000,
    defaultTenant: config.defaultTenant,
    routingTags: tagsRoutedOn(routerOptions?.rules ?? []),
    policy: { ...(config.cache.encoder === 'none' ? LEXICAL_SEMANTIC_POLICY : DEFAULT_SEMANTIC_POLICY), ...(config.cache.threshold !== undefined ? { threshold: config.cache.threshold } : {}) },
  });

  const configuredPrice = (modelId: string, provider?: string): ModelPrice | undefined => {
    const p = gatewayPriceOf(config.gateway, modelId, provider) ?? (modelId === config.answer.model ? config.answer.price : undefined);
    return p ? modelPriceOf(p) : undefined;
  };
  /**
   * The price a reservation assumes for what a caller named: a model's own price; for a fallback
   * chain, an alias of one, or the router, the dearest model it may end up calling.
   */
  const worstCasePrice = (name: string, seen = new Set<string>()): ModelPrice => {
    if (seen.has(name)) return resolvePrice(name, configuredPrice(name));
    seen.add(name);
    const alias = config.gateway.aliases[name];
    const chain = config.gateway.fallbacks[name] ?? (alias && 'fallback' in alias ? config.gateway.fallbacks[alias.fallback] : undefined);
    let candidates: string[] | undefined;
    if (chain) candidates = chain.map((entry) => `${entry.provider}/${entry.model}`);
    else if (alias && 'model' in alias) candidates = [`${alias.provider}/${alias.model}`];
    else if (config.routing && name === (config.routing.name ?? 'auto')) candidates = [config.routing.cheap, config.routing.strong, ...(config.routing.rules ?? []).map((r) => r.use)];
    else {
      const named = providerModelName(config.gateway.providers, name);
      if (named) return resolvePrice(named.model, configuredPrice(named.model, named.provider));
    }
    if (!candidates) return resolvePrice(name, configuredPrice(name));
    return candidates.map((c) => worstCasePrice(c, seen)).reduce(dearest);
  };
  // Calls between start and booking: close() waits for their rows before the store may close.
  const inFlight = new InFlightCalls();
  // The ledger is outermost: it books one row per request with the final outcome (cache hit,
  // the provider that answered after fallback, retries), never twice.
  const middleware: ChatMiddleware[] = [
    ledgerMiddleware({ store, defaultTenant: config.defaultTenant, priceOf: configuredPrice, inFlight }),
    cache.middleware,
  ];
  let budgetCounters: CounterStore | undefined;
  if (Object.keys(config.budgets.tenants).length > 0) {
    const store = await openCounterStore(counterBackend(config.budgets.backend));
    counters.push(store);
    budgetCounters = store;
    middleware.push(
      createBudgetMiddleware({
        counters: store,
        tenants: config.budgets.tenants,
        defaultTenant: config.defaultTenant,
        defaultMaxOutputTokens: config.budgets.defaultMaxOutputTokens,
        priceOf: (modelId) => worstCasePrice(modelId),
        // Settle with the ledger's own pricing: a budget's spent is the ledger's total, exactly.
        costNanoOf: (call) => callCostNanoUsd(call, configuredPrice),
      }),
    );
  }
  let limitCounters: CounterStore | undefined;
  if (Object.keys(config.limits.tenants).length > 0) {
    const store = await openCounterStore(counterBackend(config.limits.backend));
    counters.push(store);
    limitCounters = store;
    middleware.push(createRateLimitMiddleware({ counters: store, tenants: config.limits.tenants, defaultTenant: config.defaultTenant, defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens }));
  }

  // Embeddings: ledger → per-text exact cache → budgets → tenant limits → the alias's fallback
  // chain (each member with its provider's retry, breaker and timeout), as for chat.
  const embeddingsWrapped = new Map<string, EmbeddingModel>();
  const resolveEmbedding = (name: string): EmbeddingModel | undefined => {
    const known = embeddingsWrapped.get(name);
    if (known) return known;
    const alias = config.gateway.embeddingAliases[name];
    const chain = alias && embeddingChainFromConfig(config.gateway, env, models.breakers, name);
    if (!alias || !chain) return undefined;
    const layers: EmbeddingMiddleware[] = [embeddingLedger({ store, defaultTenant: config.defaultTenant, priceOf: configuredPrice, inFlight })];
    if (config.cache.exact) layers.push(embeddingCache({ store, space: embeddingSpace(alias), defaultTenant: config.defaultTenant }));
    if (budgetCounters) {
      const price = alias.models.map((m) => resolvePrice(m.model, configuredPrice(m.model, m.provider))).reduce(dearest);
      layers.push(embeddingBudget({ counters: budgetCounters, tenants: config.budgets.tenants, defaultTenant: config.defaultTenant, price, costNanoOf: (result) => embeddingCostNanoUsd(result, name, configuredPrice) }));
    }
    if (limitCounters) layers.push(embeddingRateLimit({ counters: limitCounters, tenants: config.limits.tenants, defaultTenant: config.defaultTenant }));
    const composed = composeEmbedding(chain, ...layers);
    embeddingsWrapped.set(name, composed);
    return composed;
  };

  const wrapped = new Map<string, ChatModel>();
  const wrap = (model: ChatModel) => composeChat(model, ...middleware);
  return {
    models,
    cache,
    wrap,
    resolve(name) {
      const known = wrapped.get(name);
      if (known) return known;
      const model = router && name === router.modelId ? router : models.resolve(name);
      if (!model) return undefined;
      // Named as the caller named it, so the ledger's route (and the budget's worst-case price)
      // is the alias or chain, not the provider model an alias happens to point at.
      const composed = wrap(model.modelId === name ? model : wrapChat(model, { modelId: name }));
      wrapped.set(name, composed);
      return composed;
    },
    resolveEmbedding,
    async budgetUsage(tenantId) {
      if (!budgetCounters) return { tenantId, source: 'none', budgets: [] };
      return readBudgetUsage(budgetCounters, config.budgets.tenants, tenantId, Date.now());
    },
    async close() {
      // Calls still running (a server that cut its connections has cancelled theirs) settle their
      // budgets and book their rows first; the counters and the store are closed after them.
      const running = inFlight.size;
      if (!(await inFlight.drained(CLOSE_WAIT_MS))) {
        process.stderr.write(`plumb: ${inFlight.size} of ${running} model calls were still running ${CLOSE_WAIT_MS / 1000} s after close began; their ledger rows are lost\n`);
      }
      await Promise.all(counters.map((c) => c.close()));
      await cacheBackend.close();
      await encoder?.close();
    },
  };
}

/** The cache backend the config names; a SQLite cache defaults to `<dataDir>/cache.db`. */
function cacheBackendFromConfig(config: PlumbConfig): CacheBackend {
  const backend = config.cache.backend;
  if (backend === 'memory') return createMemoryCacheBackend();
  if (backend === 'sqlite') return createSqliteCacheBackend({ path: join(config.dataDir, 'cache.db') });
  if ('sqlite' in backend) return createSqliteCacheBackend({ path: backend.sqlite });
  return createRedisCacheBackend({ url: backend.redis, keyPrefix: backend.prefix ?? 'plumb:cache:' });
}

/** The counters' backend from config, without keys that were left out. */
function counterBackend(b: PlumbConfig['limits']['backend']): 'memory' | { redis: string; prefix?: string } {
  return b === 'memory' ? b : { redis: b.redis, ...(b.prefix !== undefined ? { prefix: b.prefix } : {}) };
}

/** Field by field, the higher of two prices. */
function dearest(a: ModelPrice, b: ModelPrice): ModelPrice {
  const max = (x: number | undefined, y: number | undefined) => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  const cached = max(a.cachedInputPerMTok, b.cachedInputPerMTok);
  const reasoning = max(a.reasoningPerMTok, b.reasoningPerMTok);
  return {
    inputPerMTok: Math.max(a.inputPerMTok, b.inputPerMTok),
    outputPerMTok: Math.max(a.outputPerMTok, b.outputPerMTok),
    ...(cached !== undefined ? { cachedInputPerMTok: cached } : {}),
    // Each side's effective rate (its default is relative to its own input price).
    cacheWriteInputPerMTok: Math.max(cacheWriteRate(a), cacheWriteRate(b)),
    ...(reasoning !== undefined ? { reasoningPerMTok: reasoning } : {}),
  };
}
