/**
 * Counters in Redis, shared by every replica. Each operation is one Lua script (EVALSHA, loaded
 * on first NOSCRIPT), so a reservation's check-and-take is atomic across replicas. Keys of one
 * call must live on one Redis node; on Redis Cluster give the prefix a hash tag, e.g. "{plumb}:".
 * The callers' clocks are used (replicas should run NTP): tests inject time, and skew only
 * shifts a bucket's refill or a window's edge by the skew.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PlumbError } from '../../core/errors.ts';
import { redisUnavailable } from '../../store/redis/redis-connection.ts';
import { ADJUST_SCRIPT, RESERVE_SCRIPT } from './counter-scripts.ts';
import type { CounterAdjustment, CounterCheck, CounterOutcome, CounterStore } from './counter-store.ts';
import { WINDOW_GRACE_MS } from './memory-counter-store.ts';

export interface RedisCounterStoreOptions {
  client: Redis;
  /** Prepended to every key, e.g. "plumb:limits:". */
  prefix?: string;
  /** Shown in errors (redacted); default "redis". */
  url?: string;
  /** Close the client on close() (true when the store opened it). */
  ownsClient?: boolean;
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const RESERVE_SHA = sha1(RESERVE_SCRIPT);
const ADJUST_SHA = sha1(ADJUST_SCRIPT);

/** Counters in Redis, atomic across replicas. */
export class RedisCounterStore implements CounterStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly url: string;
  private readonly ownsClient: boolean;

  constructor(options: RedisCounterStoreOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'plumb:counters:';
    this.url = options.url ?? 'redis';
    this.ownsClient = options.ownsClient ?? false;
  }

  async reserve(checks: readonly CounterCheck[], nowMs: number): Promise<CounterOutcome> {
    if (checks.length === 0) return { ok: true, remaining: [] };
    const args = checks.flatMap((check) => [
      check.kind === 'bucket' ? 'b' : 'w',
      amountArg(check, check.amount),
      String(check.limit),
      String(check.kind === 'bucket' ? check.periodMs : check.resetAtMs),
      check.kind === 'window' && check.soft === true ? '1' : '0',
    ]);
    const reply = (await this.run(RESERVE_SHA, RESERVE_SCRIPT, checks, [String(Math.floor(nowMs)), String(WINDOW_GRACE_MS), ...args])) as [
      number,
      number,
      string,
      ...string[],
    ];
    const [ok, blocked, wait, ...remaining] = reply;
    const outcome: CounterOutcome = { ok: ok === 1, remaining: remaining.map(Number) };
    if (ok !== 1) {
      outcome.blockedIndex = blocked - 1;
      outcome.retryAfterMs = wait === '-1' ? Infinity : Number(wait);
    }
    return outcome;
  }

  async adjust(counters: readonly CounterAdjustment[], deltas: readonly number[], nowMs: number): Promise<number[]> {
    return this.adjustOrPeek(counters, deltas, nowMs, true);
  }

  async peek(counters: readonly CounterAdjustment[], nowMs: number): Promise<number[]> {
    return this.adjustOrPeek(counters, [], nowMs, false);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }

  private async adjustOrPeek(counters: readonly CounterAdjustment[], deltas: readonly number[], nowMs: number, write: boolean): Promise<number[]> {
    if (counters.length === 0) return [];
    const args = counters.flatMap((counter, i) => [
      counter.kind === 'bucket' ? 'b' : 'w',
      amountArg(counter, deltas[i] ?? 0),
      String(counter.limit),
      String(counter.kind === 'bucket' ? counter.periodMs : counter.resetAtMs),
    ]);
    const reply = (await this.run(ADJUST_SHA, ADJUST_SCRIPT, counters, [String(Math.floor(nowMs)), String(WINDOW_GRACE_MS), write ? '1' : '0', ...args])) as string[];
    return reply.map(Number);
  }

  private async run(sha: string, script: string, counters: readonly { key: string }[], args: string[]): Promise<unknown> {
    const keys = counters.map((counter) => this.prefix + counter.key);
    try {
      try {
        return await this.client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        // The first call on a fresh Redis (or after SCRIPT FLUSH) sends the script itself.
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return await this.client.eval(script, keys.length, ...keys, ...args);
      }
    } catch (err) {
      // A reply error is Redis refusing the script (a bug here), not Redis being away.
      if (err instanceof Error && err.name === 'ReplyError') {
        throw new PlumbError('internal', `Redis counter script failed: ${err.message}`, { cause: err });
      }
      throw redisUnavailable(this.url, err);
    }
  }
}

/** Window counters use INCRBY, which takes whole numbers only. */
function amountArg(counter: CounterAdjustment, amount: number): string {
  if (counter.kind === 'window' && !Number.isSafeInteger(amount)) {
    throw new PlumbError('internal', `window counter ${counter.key} got ${amount}; window amounts must be whole units`);
  }
  return String(amount);
}
