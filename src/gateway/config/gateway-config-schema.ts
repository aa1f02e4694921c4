/**
 * The gateway's configuration, mounted under `gateway:` in plumb's config. Keys hold the names of
 * environment variables (`apiKeyEnv`), never the keys themselves, so a config file can be
 * committed. Cross-references (an alias or fallback naming an unknown provider) are checked here,
 * and every error names the key that holds the bad value.
 */
import { z } from 'zod';

const positiveMs = z.number().int().positive();

/** A model's prices per million tokens (shared by gateway.prices and the answer/embeddings configs). */
export const priceSchema = z
  .object({
    inputPerMTok: z.number().nonnegative(),
    outputPerMTok: z.number().nonnegative(),
    cachedInputPerMTok: z.number().nonnegative().optional(),
    /** Prompt-cache writes; default 1.25 × inputPerMTok (Anthropic's 5-minute cache; 2 × for the 1-hour one). */
    cacheWriteInputPerMTok: z.number().nonnegative().optional(),
    reasoningPerMTok: z.number().nonnegative().optional(),
  })
  .strict();

const providerSchema = z
  .object({
    type: z.enum(['openai-compatible', 'anthropic']),
    /** e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1, https://api.anthropic.com */
    baseUrl: z.string().url(),
    /** The environment variable holding the API key; none for local servers. */
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY').optional(),
    /** Models this provider serves; the first is its default. */
    models: z.array(z.string().min(1)).min(1),
    timeouts: z
      .object({
        /**
         * Until a new connection is up (DNS, TCP and TLS handshakes); past it the attempt fails
         * as a retryable `upstream_timeout`, so retry and fallback take over. Kept-alive
         * connections are already up.
         */
        connectMs: positiveMs.default(5_000),
        /** Until a stream's first event. */
        firstTokenMs: positiveMs.default(30_000),
        /** A whole call or stream. */
        totalMs: positiveMs.default(120_000),
      })
      .strict()
      .prefault({}),
    retry: z
      .object({
        /** Attempts in all, the first included. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        baseDelayMs: z.number().int().nonnegative().default(250),
        maxDelayMs: z.number().int().nonnegative().default(5_000),
      })
      .strict()
      .prefault({}),
    breaker: z
      .object({
        /** Consecutive failures that open the breaker. */
        failureThreshold: z.number().int().min(1).default(5),
        /** Optional: open on a failure rate over a time window instead. */
        window: z
          .object({ failureRate: z.number().gt(0).max(1), durationMs: positiveMs, minimumRps: z.number().positive().optional() })
          .strict()
          .optional(),
        halfOpenAfterMs: positiveMs.default(30_000),
      })
      .strict()
      .prefault({}),
    /** Requests and tokens per minute (enforced by the limits middleware). */
    limits: z.object({ rpm: z.number().int().positive().optional(), tpm: z.number().int().positive().optional() }).strict().prefault({}),
  })
  .strict();

const target = z.object({ provider: z.string().min(1), model: z.string().min(1) }).strict();

/**
 * A name callers use as `model` on /v1/embeddings: one embedding model, or several tried in order
 * (fallback). They must embed into one space — the same model at different providers — so the
 * alias has one `dimensions`, checked on every response.
 */
const embeddingAlias = z
  .object({
    dimensions: z.number().int().positive(),
    models: z.array(target).min(1),
    /** Texts per upstream request. Default 128. */
    maxBatchSize: z.number().int().positive().optional(),
  })
  .strict();

export const gatewayConfigSchema = z
  .object({
    providers: z.record(z.string().min(1), providerSchema).default({}),
    /** US dollars per million tokens, by model id; overrides the list prices. */
    prices: z.record(z.string().min(1), priceSchema).default({}),
    /** A name callers use as `model`: one provider's model, or a fallback chain by name. */
    aliases: z.record(z.string().min(1), z.union([target, z.object({ fallback: z.string().min(1) }).strict()])).default({}),
    /** Ordered chains: the first entry that answers wins. */
    fallbacks: z.record(z.string().min(1), z.array(target).min(1)).default({}),
    /** Embedding aliases for /v1/embeddings, through the gateway's ledger, cache, budgets and fallback. */
    embeddingAliases: z.record(z.string().min(1), embeddingAlias).default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const checkTarget = (entry: { provider: string; model: string }, path: (string | number)[]): void => {
      const provider = config.providers[entry.provider];
      if (!provider) {
        ctx.addIssue({ code: 'custom', path: [...path, 'provider'], message: `unknown provider "${entry.provider}" (configured: ${Object.keys(config.providers).join(', ') || 'none'})` });
      } else if (!provider.models.includes(entry.model)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'model'], message: `provider "${entry.provider}" does not list model "${entry.model}" (it lists: ${provider.models.join(', ')})` });
      }
    };
    for (const [name, chain] of Object.entries(config.fallbacks)) chain.forEach((entry, i) => checkTarget(entry, ['fallbacks', name, i]));
    for (const [name, alias] of Object.entries(config.aliases)) {
      if ('fallback' in alias) {
        if (!config.fallbacks[alias.fallback]) ctx.addIssue({ code: 'custom', path: ['aliases', name, 'fallback'], message: `unknown fallback chain "${alias.fallback}"` });
      } else checkTarget(alias, ['aliases', name]);
    }
    for (const [name, alias] of Object.entries(config.embeddingAliases)) {
      if (config.aliases[name] || config.fallbacks[name]) {
        ctx.addIssue({ code: 'custom', path: ['embeddingAliases', name], message: `"${name}" is already a chat ${config.aliases[name] ? 'alias' : 'fallback chain'}; give the embedding alias another name` });
      }
      alias.models.forEach((entry, i) => {
        const provider = config.providers[entry.provider];
        if (!provider) {
          ctx.addIssue({ code: 'custom', path: ['embeddingAliases', name, 'models', i, 'provider'], message: `unknown provider "${entry.provider}" (configured: ${Object.keys(config.providers).join(', ') || 'none'})` });
        } else if (provider.type !== 'openai-compatible') {
          ctx.addIssue({ code: 'custom', path: ['embeddingAliases', name, 'models', i, 'provider'], message: `provider "${entry.provider}" is ${provider.type}, which has no embeddings API; use an openai-compatible provider` });
        }
      });
    }
    for (const [name, provider] of Object.entries(config.providers)) {
      if (provider.retry.baseDelayMs > provider.retry.maxDelayMs) {
        ctx.addIssue({ code: 'custom', path: ['providers', name, 'retry', 'baseDelayMs'], message: 'must not exceed maxDelayMs' });
      }
    }
  });

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
export type GatewayProviderConfig = GatewayConfig['providers'][string];
