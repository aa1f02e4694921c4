/**
 * Routing configuration, for `gateway.routing` (or a top-level `routing:`):
 *
 * ```yaml
 * routing:
 *   name: auto                 # what callers put in `model`; default "auto"
 *   cheap: mini                # alias, chain or provider/model for easy requests
 *   strong: smart              # ... for hard ones
 *   threshold: 0.35            # complexity score at or above which a request is "hard"
 *   rules:                     # first match wins; every condition of a `when` must hold
 *     - { when: { tenant: acme }, use: smart }
 *     - { when: { tag: judge }, use: mini }
 *     - { when: { minInputTokens: 60000 }, use: long }
 *     - { when: { tools: true }, use: smart }
 *   weights: { type: 0.3 }     # optional overrides of the complexity weights
 * ```
 *
 * Names are checked against the configured models when the router is built (createRouter
 * throws invalid_config naming the key).
 */
import { z } from 'zod';
import type { RouterOptions } from './router.ts';

const names = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const unit = z.number().min(0).max(1);

export const routeConditionSchema = z
  .object({
    tenant: names.optional(),
    tag: names.optional(),
    minInputTokens: z.number().int().positive().optional(),
    tools: z.boolean().optional(),
    stream: z.boolean().optional(),
  })
  .strict();

export const routeRuleSchema = z.object({ when: routeConditionSchema, use: z.string().min(1) }).strict();

export const routingConfigSchema = z
  .object({
    name: z.string().min(1).default('auto'),
    cheap: z.string().min(1),
    strong: z.string().min(1),
    threshold: unit.default(0.35),
    rules: z.array(routeRuleSchema).default([]),
    weights: z
      .object({ length: unit.optional(), type: unit.optional(), specifics: unit.optional(), multiPart: unit.optional(), retrieval: unit.optional() })
      .strict()
      .optional(),
  })
  .strict();

export type RoutingConfig = z.infer<typeof routingConfigSchema>;

/** Router options from parsed config, without keys that were left out. */
export function routerOptionsFromConfig(config: RoutingConfig, targets: RouterOptions['targets'], defaultTenant?: string): RouterOptions {
  const weights = config.weights ? Object.fromEntries(Object.entries(config.weights).filter(([, v]) => v !== undefined)) : undefined;
  return {
    name: config.name,
    targets,
    cheap: config.cheap,
    strong: config.strong,
    threshold: config.threshold,
    rules: config.rules.map((r) => ({ use: r.use, when: Object.fromEntries(Object.entries(r.when).filter(([, v]) => v !== undefined)) })),
    ...(weights ? { weights } : {}),
    ...(defaultTenant !== undefined ? { defaultTenant } : {}),
  };
}
