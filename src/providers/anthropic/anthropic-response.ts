/** Reading Anthropic responses: stop reasons, usage with prompt-cache tokens, and error types. */
import { PlumbError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import type { FinishReason } from '../../core/model.ts';
import type { Usage } from '../../core/usage.ts';
import { redactSecret } from '../http/endpoint.ts';
import type { ProviderEndpoint } from '../http/endpoint.ts';
import { hintFor } from '../http/provider-errors.ts';

/** Anthropic's `stop_reason` → ours. */
export function toFinishReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other'; // pause_turn and anything newer
  }
}

/** Token counts as Anthropic reports them (in `message`, `message_start` and `message_delta`). */
export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * Anthropic's `input_tokens` excludes cached tokens; ours includes them. Cache reads become
 * cachedInputTokens (billed at the cached rate), cache writes cacheWriteInputTokens (billed at the
 * cache-write rate, by default 1.25 × input); both are also counted in inputTokens.
 */
export function toUsage(raw: AnthropicUsage): Usage {
  const cacheRead = raw.cache_read_input_tokens ?? 0;
  const cacheWrite = raw.cache_creation_input_tokens ?? 0;
  const usage: Usage = { inputTokens: (raw.input_tokens ?? 0) + cacheRead + cacheWrite, outputTokens: raw.output_tokens ?? 0 };
  if (cacheRead > 0) usage.cachedInputTokens = cacheRead;
  if (cacheWrite > 0) usage.cacheWriteInputTokens = cacheWrite;
  return usage;
}

const CODE_BY_ERROR_TYPE: Record<string, ErrorCode> = {
  invalid_request_error: 'bad_request',
  authentication_error: 'unauthorized',
  permission_error: 'forbidden',
  not_found_error: 'not_found',
  request_too_large: 'payload_too_large',
  rate_limit_error: 'rate_limited',
  api_error: 'upstream_error',
  overloaded_error: 'upstream_error',
  timeout_error: 'upstream_timeout',
};

/** An `error` event that arrived inside a stream (after the 200 status was already sent). */
export function errorFromStreamEvent(endpoint: ProviderEndpoint, model: string, error: { type?: unknown; message?: unknown }): PlumbError {
  const type = typeof error.type === 'string' ? error.type : 'api_error';
  const code = CODE_BY_ERROR_TYPE[type] ?? 'upstream_error';
  const message = typeof error.message === 'string' ? redactSecret(error.message, endpoint.apiKey) : 'no message';
  return new PlumbError(code, `${endpoint.provider} sent an error event in the middle of the stream (${type}): ${message}`, {
    hint: hintFor(code, endpoint, model),
    details: { provider: endpoint.provider, providerErrorType: type },
  });
}
