/** The gateway's configuration: providers, prices, aliases and fallback chains. */
export { gatewayConfigSchema } from './gateway-config-schema.ts';
export type { GatewayConfig, GatewayConfigInput, GatewayProviderConfig } from './gateway-config-schema.ts';
export { parseGatewayConfig } from './parse-gateway-config.ts';
