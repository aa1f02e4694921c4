/**
 * Counters in one process's memory. Every operation is synchronous inside, so it is atomic
 * against concurrent requests in this process; replicas need the Redis store instead.
 */
import type { CounterAdjustment, CounterCheck, CounterOutcome, CounterStore } from './counter-store.ts';

/** How long a window counter outlives its window (late settlements still land, then it goes). */
export const WINDOW_GRACE_MS = 60 * 60 * 1000;

interface Entry {
  /** Bucket: tokens left at `ts`; window: units used. */
  value: number;
  ts: number;
  expiresAtMs: number;
}

/** Counters in memory, for a single process. */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();
  private operations = 0;

  async reserve(checks: readonly CounterCheck[], nowMs: number): Promise<CounterOutcome> {
    this.sweep(nowMs);
    const current = checks.map((check) => this.read(check, nowMs));
    let blockedIndex: number | undefined;
    let retryAfterMs = 0;
    checks.forEach((check, i) => {
      const wait = waitMs(check, current[i] ?? 0, nowMs);
      if (wait > 0 && (blockedIndex === undefined || wait > retryAfterMs)) {
        blockedIndex = i;
        retryAfterMs = wait;
      }
    });
    if (blockedIndex !== undefined) {
      return { ok: false, remaining: checks.map((check, i) => left(check, current[i] ?? 0)), blockedIndex, retryAfterMs };
    }
    const remaining = checks.map((check, i) => this.write(check, (current[i] ?? 0) + signed(check, check.amount), nowMs));
    return { ok: true, remaining };
  }

  async adjust(counters: readonly CounterAdjustment[], deltas: readonly number[], nowMs: number): Promise<number[]> {
    return counters.map((counter, i) => {
      const value = this.read(counter, nowMs) + signed(counter, deltas[i] ?? 0);
      return this.write(counter, counter.kind === 'bucket' ? Math.min(counter.limit, value) : value, nowMs);
    });
  }

  async peek(counters: readonly CounterAdjustment[], nowMs: number): Promise<number[]> {
    return counters.map((counter) => left(counter, this.read(counter, nowMs)));
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  /** Bucket: tokens now (refilled); window: units used. */
  private read(counter: CounterAdjustment, nowMs: number): number {
    const entry = this.entries.get(counter.key);
    if (counter.kind === 'window') return entry ? entry.value : 0;
    if (!entry) return counter.limit;
    const elapsed = Math.max(0, nowMs - entry.ts);
    return Math.min(counter.limit, entry.value + (elapsed * counter.limit) / counter.periodMs);
  }

  private write(counter: CounterAdjustment, value: number, nowMs: number): number {
    const expiresAtMs =
      counter.kind === 'window'
        ? counter.resetAtMs + WINDOW_GRACE_MS
        : nowMs + Math.ceil(((counter.limit - value) * counter.periodMs) / counter.limit);
    this.entries.set(counter.key, { value, ts: nowMs, expiresAtMs });
    return left(counter, value);
  }

  /** Drops expired counters now and then, so memory does not grow with every day and tenant. */
  private sweep(nowMs: number): void {
    if (++this.operations % 1024 !== 0) return;
    for (const [key, entry] of this.entries) if (entry.expiresAtMs <= nowMs) this.entries.delete(key);
  }
}

/** Taking `amount` lowers a bucket's tokens but raises a window's usage. */
function signed(counter: CounterAdjustment, amount: number): number {
  return counter.kind === 'bucket' ? -amount : amount;
}

function left(counter: CounterAdjustment, value: number): number {
  return counter.kind === 'bucket' ? value : counter.limit - value;
}

/** 0 when the check fits now; else ms until it would (Infinity: never). */
function waitMs(check: CounterCheck, value: number, nowMs: number): number {
  if (check.kind === 'window') {
    if (check.soft === true || value + check.amount <= check.limit) return 0;
    return check.amount > check.limit ? Infinity : Math.max(1, check.resetAtMs - nowMs);
  }
  if (value >= check.amount) return 0;
  if (check.amount > check.limit) return Infinity;
  // The epsilon keeps float dust (10000.000000000002 ms) from adding a whole millisecond.
  return Math.max(1, Math.ceil(((check.amount - value) * check.periodMs) / check.limit - 1e-6));
}
