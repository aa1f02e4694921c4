/**
 * One error type for all of plumb. Every thrown thing is a PlumbError by the time it reaches the
 * API or CLI, which render `{ error: { code, message, hint } }` and the matching HTTP status.
 */

/** Error codes, each with one HTTP status and whether a retry can help. */
export const ERROR_CODES = {
  bad_request: { status: 400, retryable: false },
  invalid_config: { status: 400, retryable: false },
  unsupported_file: { status: 415, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  rate_limited: { status: 429, retryable: true },
  upstream_error: { status: 502, retryable: true },
  upstream_timeout: { status: 504, retryable: true },
  unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: false },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface PlumbErrorOptions {
  /** What the user can do next, e.g. "run `plumb ingest <path>` first". */
  hint?: string;
  cause?: unknown;
  /** Structured detail safe to show to the caller (never secrets). */
  details?: Record<string, unknown>;
  /** Overrides the code's default, e.g. a provider 4xx that is not worth retrying. */
  retryable?: boolean;
  /** Seconds the caller should wait before retrying (rate limits). */
  retryAfterSeconds?: number;
}

export class PlumbError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: PlumbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlumbError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.hint = options.hint;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The one JSON error shape every API response uses. */
  toJSON(): { error: { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint === undefined ? {} : { hint: this.hint }),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** Wraps anything thrown into a PlumbError, keeping PlumbErrors as they are. */
export function toPlumbError(err: unknown): PlumbError {
  if (err instanceof PlumbError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PlumbError('internal', message, { cause: err });
}
