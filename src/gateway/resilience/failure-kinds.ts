/**
 * Which failures the gateway may retry, count against a provider's breaker, or fail over on.
 * One place, so retry, breaker and fallback agree: a provider's own trouble (429, 5xx, timeouts,
 * overload, nothing listening) is retryable; the caller's mistakes (400, 401, 403, 404, 413) and
 * the caller's own abort are not, and go straight back to the caller.
 */
import { PlumbError } from '../../core/errors.ts';

/** True for a provider-side failure another attempt (here or at another provider) may fix. */
export function isProviderFailure(err: unknown): err is PlumbError {
  return err instanceof PlumbError && err.retryable;
}

/** True for the fast rejection of an open (or probing) breaker: no request was sent. */
export function isCircuitRejection(err: unknown): err is PlumbError {
  return err instanceof PlumbError && err.details?.['circuit'] !== undefined;
}

/** True when retrying the same provider may help: a provider failure that was not a breaker's rejection. */
export function isRetryableHere(err: unknown): err is PlumbError {
  return isProviderFailure(err) && !isCircuitRejection(err);
}
