/**
 * What a tenant's budgets stand at: for each configured window (tokens / USD, daily / monthly),
 * the limit, what settled requests spent, what requests in flight hold, what is left and when the
 * window resets. Read from the same counters the budget middleware reserves on — the window
 * counter (settled + held) and its `held` companion, both read in one atomic peek — so it is
 * exact across replicas sharing Redis, and per process with the memory backend.
 */
import type { CounterStore } from '../limits/counter-store.ts';
import { budgetKey, heldCheck, usdToNanos } from './budget-checks.ts';
import type { TenantBudget } from './budget-config-schema.ts';
import { budgetWindow } from './utc-windows.ts';
import type { BudgetPeriod } from './utc-windows.ts';

/** One budget window. USD amounts are dollars, exact sums of whole nano-dollars (n / 1e9). */
export interface BudgetWindowUsage {
  unit: 'tokens' | 'usd';
  period: BudgetPeriod;
  mode: TenantBudget['mode'];
  limit: number;
  /** Settled: what finished requests used (what the ledger booked, for USD). */
  spent: number;
  /** Reserved by requests still in flight (their worst case, until they settle). */
  reserved: number;
  /** limit − spent − reserved; negative once a soft budget is passed. */
  remaining: number;
  /** The window's start and the moment it resets (the next window's start), ISO-8601 UTC. */
  windowStart: string;
  resetsAt: string;
}

export interface TenantBudgetUsage {
  tenantId: string;
  /** Which config entry applies: the tenant's own, "*" (every tenant without one), or none. */
  source: 'tenant' | 'default' | 'none';
  budgets: BudgetWindowUsage[];
}

/** The budget that applies to a tenant: its own entry, else "*". */
export function budgetFor(tenants: Record<string, TenantBudget>, tenantId: string): { budget: TenantBudget; source: 'tenant' | 'default' } | undefined {
  const own = tenants[tenantId];
  if (own) return { budget: own, source: 'tenant' };
  const fallback = tenants['*'];
  return fallback ? { budget: fallback, source: 'default' } : undefined;
}

/** Reads every window of the tenant's budget at `nowMs` without taking anything. */
export async function readBudgetUsage(counters: CounterStore, tenants: Record<string, TenantBudget>, tenantId: string, nowMs: number): Promise<TenantBudgetUsage> {
  const applies = budgetFor(tenants, tenantId);
  if (!applies) return { tenantId, source: 'none', budgets: [] };
  const { budget } = applies;
  const windows: Array<{ unit: 'tokens' | 'usd'; period: BudgetPeriod; limit: number; start: number; reset: number; check: ReturnType<typeof heldCheck> }> = [];
  for (const unit of ['tokens', 'usd'] as const) {
    for (const period of ['daily', 'monthly'] as const) {
      const configured = budget[unit]?.[period];
      if (configured === undefined) continue;
      const window = budgetWindow(period, nowMs);
      const limit = unit === 'tokens' ? configured : usdToNanos(configured);
      windows.push({ unit, period, limit, start: window.startMs, reset: window.resetAtMs, check: { kind: 'window', key: budgetKey(tenantId, unit, window.id), amount: 0, limit, resetAtMs: window.resetAtMs } });
    }
  }
  const counterOf = ({ amount: _amount, soft: _soft, ...counter }: ReturnType<typeof heldCheck>) => counter;
  // One peek over both counters of every window: a consistent snapshot, even against other replicas.
  const left = await counters.peek([...windows.map((w) => counterOf(w.check)), ...windows.map((w) => counterOf(heldCheck(w.check)))], nowMs);
  const budgets = windows.map((w, i): BudgetWindowUsage => {
    const used = w.limit - (left[i] ?? w.limit);
    const held = Math.max(0, w.limit - (left[windows.length + i] ?? w.limit));
    const show = (n: number) => (w.unit === 'usd' ? n / 1e9 : n);
    return {
      unit: w.unit,
      period: w.period,
      mode: budget.mode,
      limit: show(w.limit),
      spent: show(used - held),
      reserved: show(held),
      remaining: show(w.limit - used),
      windowStart: new Date(w.start).toISOString(),
      resetsAt: new Date(w.reset).toISOString(),
    };
  });
  return { tenantId, source: applies.source, budgets };
}
