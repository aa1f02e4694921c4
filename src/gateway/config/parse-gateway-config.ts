/** Validating a raw `gateway:` section outside plumb's config loader (tests, the library, scripts). */
import { PlumbError } from '../../core/errors.ts';
import { gatewayConfigSchema } from './gateway-config-schema.ts';
import type { GatewayConfig } from './gateway-config-schema.ts';

/** Parses the gateway section; throws PlumbError('invalid_config') naming every bad key as `gateway.a.b`. */
export function parseGatewayConfig(raw: unknown, origin = 'configuration'): GatewayConfig {
  const parsed = gatewayConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `gateway.${issue.path.map(String).join('.')}: ${issue.message}`);
  throw new PlumbError('invalid_config', `${origin}: ${problems.join('; ')}`, {
    hint: 'Fix the keys named above in the gateway section of plumb.config.yaml.',
    details: { problems },
  });
}
