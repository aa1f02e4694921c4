/** OpenTelemetry GenAI semantic-convention attribute names, in one place so spans agree. */
export const GenAI = {
  operationName: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  // Not (yet) in the conventions; namespaced so they never clash with future ones.
  cachedInputTokens: 'plumb.usage.cached_input_tokens',
  costUsd: 'plumb.cost.usd',
  tenantId: 'plumb.tenant.id',
} as const;

/** Values of gen_ai.operation.name. */
export type GenAIOperation = 'chat' | 'embeddings' | 'retrieval' | 'execute_tool';
