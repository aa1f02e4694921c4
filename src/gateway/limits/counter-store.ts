/**
 * The counters behind rate limits and budgets, one interface with two implementations: in
 * memory (one process) and Redis (many replicas, each operation one Lua script). Two kinds:
 *
 * - **bucket** (rate limits): a token bucket holding up to `limit`, refilled continuously at
 *   `limit` per `periodMs`. Chosen over a sliding window because it gives an exact "capacity
 *   frees up in N ms" for Retry-After, and returning unused reservation is just adding tokens back.
 * - **window** (budgets): a counter of what was used in one fixed calendar window (a UTC day or
 *   month) that ends at `resetAtMs`; its key names the window, so rollover is a new key.
 *
 * `reserve` is all-or-nothing over several counters at once, so a request never holds half a
 * reservation, and replicas cannot race between the check and the take.
 */

export type CounterCheck =
  | {
      kind: 'bucket';
      key: string;
      /** Tokens to take; requests count 1. */
      amount: number;
      /** Bucket capacity: this many per `periodMs`. */
      limit: number;
      periodMs: number;
    }
  | {
      kind: 'window';
      /** Names the window, e.g. "budget:acme:usd:day:2025-01-31". */
      key: string;
      /** Whole units (tokens, nano-dollars) so Redis counts exactly. */
      amount: number;
      limit: number;
      /** When this window ends (ms since epoch); the counter expires after it. */
      resetAtMs: number;
      /** Soft: always taken; the outcome still says when the limit was passed. */
      soft?: boolean;
    };

export interface CounterOutcome {
  /** True when every check fitted and every amount was taken; false means nothing was taken. */
  ok: boolean;
  /** Per check, in order: what is left after this call (negative once a soft limit is passed). */
  remaining: number[];
  /** When not ok: the index of the check that did not fit and waits longest. */
  blockedIndex?: number;
  /** When not ok: ms until that check could fit; Infinity when it never can (amount > limit). */
  retryAfterMs?: number;
}

/** A change to a counter after a reservation: positive uses more, negative gives back. */
export type CounterAdjustment = Omit<Extract<CounterCheck, { kind: 'bucket' }>, 'amount'> | Omit<Extract<CounterCheck, { kind: 'window' }>, 'amount' | 'soft'>;

export interface CounterStore {
  /** Takes every amount if all fit (soft window checks always fit), else takes nothing. */
  reserve(checks: readonly CounterCheck[], nowMs: number): Promise<CounterOutcome>;
  /** Adds `deltas[i]` to counter i unconditionally; returns what is left on each afterwards. */
  adjust(counters: readonly CounterAdjustment[], deltas: readonly number[], nowMs: number): Promise<number[]>;
  /** What is left on each counter now, without taking anything. */
  peek(counters: readonly CounterAdjustment[], nowMs: number): Promise<number[]>;
  close(): Promise<void>;
}
