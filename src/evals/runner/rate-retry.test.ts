import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { mapPool } from './promise-pool.ts';
import { withRateRetry } from './rate-retry.ts';

describe('withRateRetry', () => {
  it('waits Retry-After on rate_limited and then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await withRateRetry(
      async () => {
        calls++;
        if (calls < 3) throw new PlumbError('rate_limited', 'slow down', { retryAfterSeconds: 2 });
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives up after the retries and never retries other errors', async () => {
    let calls = 0;
    const fail = () => withRateRetry(async () => { calls++; throw new PlumbError('rate_limited', 'no'); }, { retries: 2, sleep: async () => undefined });
    await expect(fail()).rejects.toThrow('no');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRateRetry(async () => { calls++; throw new PlumbError('bad_request', 'bad'); })).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });
});

describe('mapPool', () => {
  it('keeps order and never exceeds the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapPool([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
