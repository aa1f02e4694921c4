/**
 * Which window counters a request takes under a tenant's budget, the error when a hard one is
 * full, and what is left for response metadata. Dollars are counted in whole nano-dollars so
 * Redis adds them exactly (INCRBY) and 50 settlements never drift from the sum of costs.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ResponseMetadata } from '../../core/model.ts';
import type { CounterCheck, CounterOutcome } from '../limits/counter-store.ts';
import type { TenantBudget } from './budget-config-schema.ts';
import { budgetWindow } from './utc-windows.ts';
import type { BudgetPeriod } from './utc-windows.ts';

const NANOS_PER_USD = 1e9;

/** Whole nano-dollars; `up` for reservations (never under the worst case), else nearest. */
export function usdToNanos(usd: number, up = false): number {
  const nanos = usd * NANOS_PER_USD;
  // The epsilon keeps float dust (100000.00000000001) from reserving one extra nano-dollar.
  return up ? Math.ceil(nanos - 1e-6) : Math.round(nanos);
}

export interface BudgetCheck {
  check: Extract<CounterCheck, { kind: 'window' }>;
  unit: 'tokens' | 'usd';
  period: BudgetPeriod;
}

/** Amounts one request takes: tokens and nano-dollars. */
export interface BudgetAmounts {
  tokens: number;
  nanos: number;
}

/** The key of a tenant's budget window counter (what is used: settled plus reserved). */
export function budgetKey(tenant: string, unit: BudgetCheck['unit'], windowId: string): string {
  return `budget:${encodeURIComponent(tenant)}:${unit}:${windowId}`;
}

/**
 * The companion counter of a window check: what in-flight requests hold of it. It is taken with
 * the reservation (a soft check: it never refuses) and given back in full on settling, so at any
 * moment used − held is what was settled. Its limit is the budget's own, only so Redis replies
 * stay small integers; nothing is ever refused on it.
 */
export function heldCheck(check: BudgetCheck['check']): BudgetCheck['check'] {
  return { ...check, key: `${check.key}:held`, soft: true };
}

/** The window checks of `budget` for a request that may use `worst`. */
export function budgetChecks(tenant: string, budget: TenantBudget, worst: BudgetAmounts, nowMs: number): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const soft = budget.mode === 'soft';
  for (const unit of ['tokens', 'usd'] as const) {
    for (const period of ['daily', 'monthly'] as const) {
      const limit = budget[unit]?.[period];
      if (limit === undefined) continue;
      const window = budgetWindow(period, nowMs);
      checks.push({
        unit,
        period,
        check: {
          kind: 'window',
          key: budgetKey(tenant, unit, window.id),
          amount: unit === 'tokens' ? worst.tokens : worst.nanos,
          limit: unit === 'tokens' ? limit : usdToNanos(limit),
          resetAtMs: window.resetAtMs,
          ...(soft ? { soft } : {}),
        },
      });
    }
  }
  return checks;
}

/**
 * The refusal of a hard budget: code `rate_limited`, so HTTP 429 with Retry-After = when the
 * window resets (402 has no code in core/errors.ts, and 429 + Retry-After tells clients when to
 * come back). `details.reason` is "budget" to tell it from a rate limit.
 */
export function budgetError(tenant: string, checks: readonly BudgetCheck[], outcome: CounterOutcome, nowMs: number): PlumbError {
  const blocked = checks[outcome.blockedIndex ?? 0];
  if (!blocked) return new PlumbError('rate_limited', `Tenant "${tenant}" is over its budget`, { details: { reason: 'budget', tenant } });
  const { check, unit, period } = blocked;
  const show = (n: number) => (unit === 'usd' ? `$${(n / NANOS_PER_USD).toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}` : `${n} tokens`);
  const resetsAt = new Date(check.resetAtMs).toISOString();
  const remaining = outcome.remaining[outcome.blockedIndex ?? 0] ?? 0;
  const details = {
    reason: 'budget',
    tenant,
    unit,
    period,
    limit: unit === 'usd' ? check.limit / NANOS_PER_USD : check.limit,
    remaining: unit === 'usd' ? remaining / NANOS_PER_USD : remaining,
    resetsAt,
  };
  const raise = `raise budgets.tenants.${tenant}.${unit}.${period}`;
  if (outcome.retryAfterMs === Infinity) {
    return new PlumbError('rate_limited', `This request may use up to ${show(check.amount)}, more than tenant "${tenant}"'s whole ${period} budget of ${show(check.limit)}`, {
      retryable: false,
      hint: `Lower maxOutputTokens or shorten the prompt, or ${raise}.`,
      details,
    });
  }
  return new PlumbError('rate_limited', `Tenant "${tenant}" has ${show(Math.max(0, remaining))} left of its ${period} budget of ${show(check.limit)}; this request may use up to ${show(check.amount)}`, {
    retryAfterSeconds: Math.max(1, Math.ceil((check.resetAtMs - nowMs) / 1000)),
    hint: `The ${period} budget resets at ${resetsAt}; or ${raise}.`,
    details,
  });
}

/** The least left per unit across windows, e.g. { budgetRemainingUsd: 0.42 }, and whether a soft budget is passed. */
export function budgetMetadata(checks: readonly BudgetCheck[], left: readonly number[], mode: TenantBudget['mode']): ResponseMetadata {
  const metadata: ResponseMetadata = {};
  let exceeded = false;
  checks.forEach(({ unit }, i) => {
    const value = left[i] ?? 0;
    if (value < 0) exceeded = true;
    const field = unit === 'usd' ? 'budgetRemainingUsd' : 'budgetRemainingTokens';
    const shown = unit === 'usd' ? value / NANOS_PER_USD : value;
    const current = metadata[field];
    metadata[field] = typeof current === 'number' ? Math.min(current, shown) : shown;
  });
  if (mode === 'soft') metadata['budgetExceeded'] = exceeded;
  return metadata;
}
