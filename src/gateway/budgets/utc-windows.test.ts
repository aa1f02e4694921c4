import { describe, expect, it } from 'vitest';
import { budgetWindow } from './utc-windows.ts';

describe('UTC budget windows', () => {
  it('a day runs from UTC midnight to the next', () => {
    const w = budgetWindow('daily', Date.UTC(2025, 0, 31, 23, 59, 59, 999));
    expect(w).toEqual({ id: '2025-01-31', startMs: Date.UTC(2025, 0, 31), resetAtMs: Date.UTC(2025, 1, 1) });
    expect(budgetWindow('daily', Date.UTC(2025, 1, 1)).id).toBe('2025-02-01');
  });

  it('uses UTC, not the local time zone, at the edge of the day', () => {
    // 23:30 UTC is already the next day in UTC+1 but still this day here.
    expect(budgetWindow('daily', Date.parse('2025-03-10T23:30:00Z')).id).toBe('2025-03-10');
    expect(budgetWindow('daily', Date.parse('2025-03-11T00:30:00+01:00')).id).toBe('2025-03-10');
  });

  it('a month rolls over at its last millisecond, including February in a leap year and December', () => {
    expect(budgetWindow('monthly', Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toEqual({ id: '2024-02', startMs: Date.UTC(2024, 1, 1), resetAtMs: Date.UTC(2024, 2, 1) });
    expect(budgetWindow('monthly', Date.UTC(2024, 2, 1)).id).toBe('2024-03');
    const december = budgetWindow('monthly', Date.UTC(2025, 11, 31, 12));
    expect(december).toEqual({ id: '2025-12', startMs: Date.UTC(2025, 11, 1), resetAtMs: Date.UTC(2026, 0, 1) });
    expect(budgetWindow('daily', Date.UTC(2025, 11, 31, 12)).resetAtMs).toBe(Date.UTC(2026, 0, 1));
  });
});
