/** Fallback across providers and models: the first model of a chain that answers. */
export { createFallbackModel } from './fallback-model.ts';
export type { FallbackOptions } from './fallback-model.ts';
