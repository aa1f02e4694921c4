/**
 * Reserve-then-settle over a CounterStore: take the worst case up front (all counters or none),
 * then, once the call is done, move each counter by (actual − reserved). Settling happens once;
 * a second call is ignored, so a retry path cannot book twice.
 */
import type { CounterAdjustment, CounterCheck, CounterOutcome, CounterStore } from './counter-store.ts';

export class Reservation {
  private settled = false;

  private constructor(
    private readonly store: CounterStore,
    private readonly checks: readonly CounterCheck[],
    /** What is left on each counter right after the reservation. */
    readonly remaining: number[],
  ) {}

  /** Reserves every check or none; `reservation` is set only when all fitted. */
  static async take(store: CounterStore, checks: readonly CounterCheck[], nowMs: number): Promise<{ outcome: CounterOutcome; reservation?: Reservation }> {
    const outcome = await store.reserve(checks, nowMs);
    return outcome.ok ? { outcome, reservation: new Reservation(store, checks, outcome.remaining) } : { outcome };
  }

  get counters(): readonly CounterCheck[] {
    return this.checks;
  }

  /** Books `actual[i]` in place of what check i reserved; returns what is left afterwards (undefined if already settled). */
  async settle(actual: readonly number[], nowMs: number): Promise<number[] | undefined> {
    if (this.settled) return undefined;
    this.settled = true;
    const counters = this.checks.map(({ amount: _amount, ...counter }) => counter as CounterAdjustment);
    const deltas = this.checks.map((check, i) => (actual[i] ?? 0) - check.amount);
    return this.store.adjust(counters, deltas, nowMs);
  }
}
