/**
 * Config for rate limits and where their counters live (the lead mounts it as `limits`):
 *
 *   limits:
 *     backend: memory            # or { redis: redis://127.0.0.1:6379 }
 *     tenants: { acme: { rpm: 60, tpm: 100000 }, "*": { rpm: 20 } }   # "*": any tenant not listed
 *     providers: { openai: { rpm: 500, tpm: 200000 } }
 */
import { z } from 'zod';

/** Requests and tokens per minute; either may be left out (no limit). */
export const rateLimitSchema = z
  .object({
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
  })
  .strict();

/** `memory` for one process, `{ redis: url }` to share counters between replicas. */
export const counterBackendSchema = z.union([
  z.literal('memory'),
  z
    .object({
      redis: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
      /** Key prefix; on Redis Cluster include a hash tag, e.g. "{plumb}:". */
      prefix: z.string().min(1).optional(),
    })
    .strict(),
]);

export const limitsConfigSchema = z
  .object({
    backend: counterBackendSchema.default('memory'),
    /** Per tenant id; "*" applies to every tenant without its own entry. */
    tenants: z.record(z.string().min(1), rateLimitSchema).default({}),
    /** Per provider name (a ChatModel's `provider`). */
    providers: z.record(z.string().min(1), rateLimitSchema).default({}),
    /** Output tokens counted against tpm for a request that sets no maxOutputTokens (settled after). */
    defaultMaxOutputTokens: z.number().int().positive().default(1024),
  })
  .strict();

export type RateLimit = z.infer<typeof rateLimitSchema>;
export type LimitsConfig = z.infer<typeof limitsConfigSchema>;
