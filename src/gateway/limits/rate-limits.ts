/**
 * Which counters a request takes under the rate limits, and the error when one is full.
 * rpm and tpm are token buckets refilled over a minute (see counter-store.ts for why).
 */
import { PlumbError } from '../../core/errors.ts';
import type { CounterCheck, CounterOutcome } from './counter-store.ts';
import type { RateLimit } from './limits-config-schema.ts';

const MINUTE_MS = 60_000;

export type LimitScope = 'tenant' | 'provider';

/** A check with what it means, for errors and metadata. */
export interface LabelledCheck {
  check: CounterCheck;
  scope: LimitScope;
  name: string;
  unit: 'rpm' | 'tpm';
}

/** The rpm/tpm checks of one scope (tenant or provider) for a request of `tokens` worst-case tokens. */
export function rateLimitChecks(scope: LimitScope, name: string, limit: RateLimit | undefined, tokens: number): LabelledCheck[] {
  if (!limit) return [];
  const key = (unit: string) => `rl:${scope}:${encodeURIComponent(name)}:${unit}`;
  const checks: LabelledCheck[] = [];
  if (limit.rpm !== undefined) {
    checks.push({ scope, name, unit: 'rpm', check: { kind: 'bucket', key: key('rpm'), amount: 1, limit: limit.rpm, periodMs: MINUTE_MS } });
  }
  if (limit.tpm !== undefined) {
    checks.push({ scope, name, unit: 'tpm', check: { kind: 'bucket', key: key('tpm'), amount: tokens, limit: limit.tpm, periodMs: MINUTE_MS } });
  }
  return checks;
}

/** The 429 for a blocked reservation: Retry-After is when the fullest bucket has room again. */
export function rateLimitError(checks: readonly LabelledCheck[], outcome: CounterOutcome): PlumbError {
  const blocked = checks[outcome.blockedIndex ?? 0];
  if (!blocked) return new PlumbError('rate_limited', 'Rate limit reached', { retryAfterSeconds: 1 });
  const who = `${blocked.scope === 'tenant' ? 'Tenant' : 'Provider'} "${blocked.name}"`;
  const what = blocked.unit === 'rpm' ? 'requests per minute' : 'tokens per minute';
  const details = { reason: 'rate_limit', scope: blocked.scope, name: blocked.name, limit: blocked.unit, limitValue: blocked.check.limit };
  const waitMs = outcome.retryAfterMs ?? 1000;
  if (waitMs === Infinity) {
    return new PlumbError('rate_limited', `This request needs ${blocked.check.amount} tokens, more than ${who}'s whole limit of ${blocked.check.limit} ${what}`, {
      retryable: false,
      hint: 'Lower maxOutputTokens or shorten the prompt, or raise the tpm limit.',
      details,
    });
  }
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new PlumbError('rate_limited', `${who} is over its limit of ${blocked.check.limit} ${what}`, {
    retryAfterSeconds,
    hint: `Retry after ${retryAfterSeconds} s, or raise the ${blocked.scope}'s ${blocked.unit} limit.`,
    details,
  });
}
