/**
 * Provider failures → PlumbError, with the provider's own message in the text (scrubbed of the
 * API key) and a hint that says what to try next. Status codes decide the error code so that
 * the gateway's retry and fallback logic treats every provider alike.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import { redactSecret } from './endpoint.ts';
import type { ProviderEndpoint } from './endpoint.ts';
import { parseRetryAfter } from './retry-after.ts';

/** What a provider's error body says, in whichever of the common shapes it used. */
export interface ProviderErrorBody {
  message: string;
  type?: string;
  code?: string;
}

const MAX_QUOTED_BODY = 500;

/**
 * Reads `{error:{message,type,code}}` (OpenAI, vLLM, Groq), `{type:'error',error:{type,message}}`
 * (Anthropic), `{error:"text"}` (Ollama) or plain text.
 */
export function readProviderErrorBody(bodyText: string): ProviderErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return { message: bodyText.trim().slice(0, MAX_QUOTED_BODY) || '(empty body)' };
  }
  const record = asRecord(parsed);
  const error = record?.['error'];
  if (typeof error === 'string') return { message: error };
  const inner = asRecord(error) ?? record;
  const message = inner?.['message'];
  const type = inner?.['type'];
  const code = inner?.['code'];
  return {
    message: typeof message === 'string' ? message : bodyText.slice(0, MAX_QUOTED_BODY),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
  };
}

/** The error code for an HTTP status from a provider. */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'upstream_timeout';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'upstream_error'; // includes Anthropic's 529 "overloaded"
  return 'bad_request';
}

/** Turns a non-2xx provider response into a PlumbError. */
export function errorFromResponse(
  endpoint: ProviderEndpoint,
  model: string,
  status: number,
  headers: Headers,
  bodyText: string,
): PlumbError {
  const body = readProviderErrorBody(redactSecret(bodyText, endpoint.apiKey));
  const code = errorCodeForStatus(status);
  const retryAfterSeconds = parseRetryAfter(headers);
  const requestId = headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
  const kind = body.type ?? body.code;
  return new PlumbError(code, `${endpoint.provider} answered ${status}${kind ? ` ${kind}` : ''}: ${body.message}`, {
    hint: hintFor(code, endpoint, model, retryAfterSeconds),
    details: {
      provider: endpoint.provider,
      status,
      ...(body.type === undefined ? {} : { providerErrorType: body.type }),
      ...(body.code === undefined ? {} : { providerErrorCode: body.code }),
      ...(requestId === undefined ? {} : { requestId }),
    },
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/** A hint for each kind of provider failure, naming the model and URL involved. */
export function hintFor(code: ErrorCode, endpoint: ProviderEndpoint, model: string, retryAfterSeconds?: number): string {
  switch (code) {
    case 'unauthorized':
      return `Check the API key configured for ${endpoint.provider} (missing, mistyped or revoked).`;
    case 'forbidden':
      return `Check that the API key for ${endpoint.provider} is allowed to use model "${model}".`;
    case 'not_found':
      return `Check the model name "${model}" and the base URL ${endpoint.baseURL}.`;
    case 'upstream_timeout':
      return `${endpoint.provider} did not answer in time; retry, or raise timeoutMs for slow models.`;
    case 'payload_too_large':
      return 'Send fewer or shorter messages, or a smaller batch.';
    case 'rate_limited':
      return retryAfterSeconds === undefined
        ? `Slow down: ${endpoint.provider} is rate limiting this key.`
        : `Wait ${retryAfterSeconds} s before retrying, or lower the request rate.`;
    case 'upstream_error':
      return `${endpoint.provider} failed on its side; retry later or fall back to another model.`;
    case 'unavailable':
      return `Nothing answered at ${endpoint.baseURL}: start the server or fix the base URL.`;
    default:
      return `Check the request sent to ${endpoint.provider} at ${endpoint.baseURL}.`;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
