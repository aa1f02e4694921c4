/**
 * Rate awareness: a PlumbError `rate_limited` is waited out (its `retryAfterSeconds`, else a short
 * backoff) and retried a few times, so a provider's 429 slows an eval run down instead of failing
 * the cases it hit.
 */
import { PlumbError } from '../../core/errors.ts';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Wait when the error gives no Retry-After, doubled each time. Default 1 s. */
  baseDelayMs?: number;
  /** Upper bound for one wait, so a huge Retry-After cannot stall a run for hours. Default 60 s. */
  maxDelayMs?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `fn`, retrying on rate limits only; other errors propagate at once. */
export async function withRateRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof PlumbError) || error.code !== 'rate_limited' || attempt >= retries) throw error;
      const wait = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : base * 2 ** attempt;
      await sleep(Math.min(max, Math.max(0, wait)));
    }
  }
}
