/**
 * The one test suite every CounterStore passes (memory and Redis). Call it from the store's
 * test file with a function that opens a fresh, empty store; time is always passed in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterAdjustment, CounterCheck, CounterStore } from './counter-store.ts';

const T0 = Date.UTC(2025, 0, 31, 23, 59, 0);
const MINUTE = 60_000;

const rpm = (key: string, amount = 1, limit = 60): CounterCheck => ({ kind: 'bucket', key, amount, limit, periodMs: MINUTE });
const daily = (key: string, amount: number, limit: number, soft = false): CounterCheck => ({
  kind: 'window',
  key,
  amount,
  limit,
  resetAtMs: Date.UTC(2025, 1, 1),
  ...(soft ? { soft } : {}),
});
const counterOf = (check: CounterCheck): CounterAdjustment => {
  const { amount: _amount, ...rest } = check;
  return rest as CounterAdjustment;
};

/** Registers the CounterStore contract tests for `name`; `open` must return a fresh empty store. */
export function runCounterStoreContract(name: string, open: () => Promise<CounterStore>): void {
  describe(`CounterStore contract: ${name}`, () => {
    let store: CounterStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('a bucket starts full, empties, and says exactly when a token is back', async () => {
      for (let i = 0; i < 60; i++) expect((await store.reserve([rpm('a')], T0)).ok).toBe(true);
      const blocked = await store.reserve([rpm('a')], T0);
      expect(blocked).toMatchObject({ ok: false, blockedIndex: 0, retryAfterMs: 1000 });
      // Half a second later half a token is back: still blocked, for the other half.
      expect(await store.reserve([rpm('a')], T0 + 500)).toMatchObject({ ok: false, retryAfterMs: 500 });
      expect((await store.reserve([rpm('a')], T0 + 1000)).ok).toBe(true);
      expect(await store.peek([counterOf(rpm('a'))], T0 + 1000)).toEqual([0]);
    });

    it('a bucket refills to its capacity and no further', async () => {
      await store.reserve([rpm('b', 30)], T0);
      expect(await store.peek([counterOf(rpm('b'))], T0 + 10 * MINUTE)).toEqual([60]);
    });

    it('an amount larger than the whole limit can never fit', async () => {
      const outcome = await store.reserve([rpm('c', 61)], T0);
      expect(outcome).toMatchObject({ ok: false, blockedIndex: 0, retryAfterMs: Infinity });
      expect((await store.reserve([daily('c-day', 11, 10)], T0)).retryAfterMs).toBe(Infinity);
    });

    it('takes all or nothing: one blocked check leaves the others untouched', async () => {
      expect((await store.reserve([daily('d-tok', 8, 10)], T0)).ok).toBe(true);
      const outcome = await store.reserve([rpm('d-rpm'), daily('d-tok', 5, 10)], T0);
      expect(outcome.ok).toBe(false);
      expect(outcome.blockedIndex).toBe(1);
      expect(outcome.retryAfterMs).toBe(Date.UTC(2025, 1, 1) - T0);
      expect(await store.peek([counterOf(rpm('d-rpm')), counterOf(daily('d-tok', 0, 10))], T0)).toEqual([60, 2]);
    });

    it('reports the longest wait among blocked checks', async () => {
      await store.reserve([rpm('e', 60), daily('e-day', 10, 10)], T0);
      const outcome = await store.reserve([rpm('e'), daily('e-day', 1, 10)], T0);
      expect(outcome).toMatchObject({ ok: false, blockedIndex: 1, retryAfterMs: MINUTE });
    });

    it('a window counts what was used and starts over under a new key', async () => {
      expect(await store.reserve([daily('f:2025-01-31', 7, 10)], T0)).toEqual({ ok: true, remaining: [3] });
      expect(await store.reserve([daily('f:2025-02-01', 7, 10)], T0 + MINUTE)).toEqual({ ok: true, remaining: [3] });
    });

    it('a soft window always takes and reports how far it is over', async () => {
      expect(await store.reserve([daily('g', 8, 10, true)], T0)).toEqual({ ok: true, remaining: [2] });
      expect(await store.reserve([daily('g', 8, 10, true)], T0)).toEqual({ ok: true, remaining: [-6] });
    });

    it('adjust settles both ways, and a bucket never holds more than its capacity', async () => {
      await store.reserve([rpm('h', 50), daily('h-day', 9, 10)], T0);
      const counters = [counterOf(rpm('h')), counterOf(daily('h-day', 0, 10))];
      expect(await store.adjust(counters, [-20, -4], T0)).toEqual([30, 5]);
      expect(await store.adjust(counters, [-100, 3], T0)).toEqual([60, 2]);
      // Using more than reserved puts a bucket in debt: the next request waits for it.
      expect(await store.adjust([counterOf(rpm('h'))], [90], T0)).toEqual([-30]);
      expect((await store.reserve([rpm('h')], T0)).retryAfterMs).toBe(31_000);
    });

    it('rounds waits without float dust: 2 per minute, 20 s after emptying, waits exactly 10 s', async () => {
      await store.reserve([rpm('k', 2, 2)], T0);
      expect(await store.reserve([rpm('k', 1, 2)], T0 + 20_000)).toMatchObject({ ok: false, retryAfterMs: 10_000 });
    });

    it('keeps fractional bucket levels', async () => {
      const check: CounterCheck = { kind: 'bucket', key: 'i', amount: 1000, limit: 1000, periodMs: MINUTE };
      await store.reserve([check], T0);
      const [left] = await store.peek([counterOf(check)], T0 + 123);
      expect(left).toBeCloseTo(2.05, 9);
    });

    it('50 concurrent reservations never take more than the limit', async () => {
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.reserve([daily('j', 3, 30), rpm('j-rpm', 1, 1000)], T0)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
      expect(await store.peek([counterOf(daily('j', 0, 30))], T0)).toEqual([0]);
    });
  });
}
