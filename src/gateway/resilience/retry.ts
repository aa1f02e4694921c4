/**
 * Retries of one provider with exponential backoff and full jitter (a random wait between 0 and
 * base·2^n, capped), that waits at least as long as the provider's `Retry-After` (the providers
 * parse `Retry-After` and `retry-after-ms` into `retryAfterSeconds`). Only provider-side failures
 * are retried, never a breaker's rejection, and a stream only before its first event. A
 * Retry-After longer than `maxRetryAfterMs` is not waited out: the error goes back at once, so a
 * fallback can answer instead of the caller sitting through a long rate-limit window.
 */
import { handleWhen, retry } from 'cockatiel';
import type { IBackoff, IRetryBackoffContext } from 'cockatiel';
import type { ChatModel, ChatRequest, ChatStreamEvent, ResponseMetadata } from '../../core/model.ts';
import type { ChatMiddleware } from '../middleware.ts';
import { wrapChat } from '../middleware.ts';
import { isRetryableHere } from './failure-kinds.ts';
import { eventsOf, openStream } from './open-stream.ts';

export interface RetryOptions {
  /** Attempts in all, the first included; 1 means no retry. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of the exponential backoff (a Retry-After may ask for longer, up to maxRetryAfterMs). */
  maxDelayMs: number;
  /** Longest Retry-After honoured by waiting; default maxDelayMs. */
  maxRetryAfterMs?: number | undefined;
  /** Source of jitter in [0, 1); injectable so tests are deterministic. */
  random?: (() => number) | undefined;
  /** Called before each wait, e.g. for logs and metrics. */
  onRetry?: ((event: { attempt: number; delayMs: number; error: unknown }) => void) | undefined;
}

/** The wait before retry number `retry` (1-based) after `error`: full jitter, at least the Retry-After. */
export function backoffDelayMs(retryNumber: number, error: unknown, options: RetryOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retryNumber - 1));
  const jittered = random() * ceiling;
  const retryAfterMs = retryAfterMsOf(error);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}

/** The retry policy (cockatiel) of `options`: what withRetry runs each call through; usable for non-chat calls. */
export function retryPolicy(options: RetryOptions): ReturnType<typeof retry> {
  const maxRetryAfterMs = options.maxRetryAfterMs ?? options.maxDelayMs;
  const policy = retry(
    handleWhen((err) => isRetryableHere(err) && (retryAfterMsOf(err) ?? 0) <= maxRetryAfterMs),
    { maxAttempts: Math.max(0, options.maxAttempts - 1), backoff: { next: (context) => backoffFor(context, options) } },
  );
  policy.onRetry((event) => options.onRetry?.({ attempt: event.attempt, delayMs: event.delay, error: 'error' in event ? event.error : undefined }));
  return policy;
}

/** Middleware that retries provider failures of `generate` and of a stream before its first event. */
export function withRetry(options: RetryOptions): ChatMiddleware {
  const policy = retryPolicy(options);

  return (inner) =>
    wrapChat(inner, {
      async generate(request) {
        let attempts = 0;
        const response = await policy.execute(() => {
          attempts += 1;
          return inner.generate(request);
        }, request.signal);
        return attempts > 1 ? { ...response, metadata: withRetries(response.metadata, attempts - 1) } : response;
      },
      stream: (request) => streamWithRetry(inner, request, policy),
    });
}

async function* streamWithRetry(inner: ChatModel, request: ChatRequest, policy: ReturnType<typeof retry>): AsyncGenerator<ChatStreamEvent> {
  let attempts = 0;
  const opened = await policy.execute(() => {
    attempts += 1;
    return openStream(inner, request);
  }, request.signal);
  yield* eventsOf(opened, (event) =>
    event.type === 'finish' && attempts > 1 ? { ...event, metadata: withRetries(event.metadata, attempts - 1) } : event,
  );
}

function backoffFor(context: IRetryBackoffContext<unknown>, options: RetryOptions): IBackoff<IRetryBackoffContext<unknown>> {
  const error = 'error' in context.result ? context.result.error : undefined;
  return { duration: backoffDelayMs(context.attempt, error, options), next: (next) => backoffFor(next, options) };
}

function retryAfterMsOf(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds * 1000 : undefined;
}

/** Adds this layer's retry count to what inner layers already said (their retries add up). */
function withRetries(metadata: ResponseMetadata | undefined, retries: number): ResponseMetadata {
  const before = metadata?.['retries'];
  return { ...metadata, retries: retries + (typeof before === 'number' ? before : 0) };
}
