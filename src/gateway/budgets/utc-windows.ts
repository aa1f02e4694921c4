/**
 * Budget windows are calendar periods in UTC: a day runs from 00:00 to the next 00:00, a month
 * from the 1st to the next 1st. Each window has an id that goes into its counter's key, so at
 * rollover a new key starts from zero and the old one expires on its own.
 */

export type BudgetPeriod = 'daily' | 'monthly';

export interface BudgetWindow {
  /** "2025-01-31" for a day, "2025-01" for a month. */
  id: string;
  startMs: number;
  /** The next window's start: when this budget resets. */
  resetAtMs: number;
}

/** The UTC day or month that contains `nowMs`. */
export function budgetWindow(period: BudgetPeriod, nowMs: number): BudgetWindow {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const pad = (n: number) => String(n).padStart(2, '0');
  if (period === 'monthly') {
    // Date.UTC rolls month 12 over into January of the next year.
    return { id: `${year}-${pad(month + 1)}`, startMs: Date.UTC(year, month, 1), resetAtMs: Date.UTC(year, month + 1, 1) };
  }
  const day = now.getUTCDate();
  return { id: `${year}-${pad(month + 1)}-${pad(day)}`, startMs: Date.UTC(year, month, day), resetAtMs: Date.UTC(year, month, day + 1) };
}
