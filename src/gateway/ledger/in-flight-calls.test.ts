import { describe, expect, it } from 'vitest';
import { InFlightCalls } from './in-flight-calls.ts';

describe('InFlightCalls', () => {
  it('drains once every started call is done, counting each done() once', async () => {
    const calls = new InFlightCalls();
    expect(await calls.drained(10)).toBe(true);
    const first = calls.start();
    const second = calls.start();
    const drained = calls.drained(1_000);
    first();
    first();
    expect(calls.size).toBe(1);
    second();
    expect(await drained).toBe(true);
    expect(calls.size).toBe(0);
  });

  it('gives up after the timeout with calls still running', async () => {
    const calls = new InFlightCalls();
    calls.start();
    const t0 = Date.now();
    expect(await calls.drained(30)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(calls.size).toBe(1);
  });
});
