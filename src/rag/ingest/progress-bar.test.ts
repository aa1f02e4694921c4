import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar, type ProgressStream } from './progress-bar.ts';

/** A stream that keeps what is written, with a clock the test moves. */
function capture(isTTY: boolean): { stream: ProgressStream; written: string[]; clock: { now: number } } {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written, clock: { now: 0 } };
}

describe('ProgressBar', () => {
  it('redraws on a terminal at most ten times a second, with count, rate and ETA', () => {
    const { stream, written, clock } = capture(true);
    const bar = new ProgressBar({ label: 'ingesting', total: 100, unit: 'docs', stream, now: () => clock.now });
    for (let i = 0; i < 50; i++) {
      clock.now += 20; // 50 ticks over one second
      bar.tick();
    }
    expect(written.length).toBeGreaterThanOrEqual(9);
    expect(written.length).toBeLessThanOrEqual(11);
    const last = written.at(-1) ?? '';
    expect(last.startsWith('\r')).toBe(true);
    // Throttled: the last redraw may be a few ticks behind the count.
    expect(last).toMatch(/ (4\d|50)\/100 docs /);
    expect(last).toContain('50.0/s');
    expect(last).toContain('ETA 1s');
    bar.done();
    expect(written.at(-1)).toContain('50/100 docs 50%');
    expect(written.at(-1)?.endsWith('\n')).toBe(true);
  });

  it('prints a plain line every few seconds when stderr is not a terminal', () => {
    const { stream, written, clock } = capture(false);
    const bar = new ProgressBar({ label: 'loading', total: 1000, stream, now: () => clock.now, plainIntervalMs: 5000 });
    for (let i = 0; i < 1000; i++) {
      clock.now += 20; // 20 seconds in all
      bar.tick();
    }
    bar.done();
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(written.length).toBeLessThanOrEqual(6);
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r') && !line.includes('\x1b'))).toBe(true);
    expect(written.at(-1)).toContain('1000/1000 items');
    expect(written.at(-1)).toContain('in 20s');
  });

  it('writes nothing when disabled', () => {
    const { stream, written } = capture(true);
    const bar = new ProgressBar({ total: 3, enabled: false, stream });
    bar.tick();
    bar.set(3);
    bar.done();
    expect(written).toEqual([]);
  });

  it('shows count and rate without a total, and takes a total later', () => {
    const { stream, clock } = capture(false);
    const bar = new ProgressBar({ label: 'scan', stream, now: () => clock.now });
    clock.now = 2000;
    bar.set(10);
    expect(bar.line()).toBe('scan 10 items 5.0/s');
    bar.setTotal(20);
    expect(bar.line()).toContain('10/20 items 50% 5.0/s ETA 2s');
  });

  it('formats durations for people', () => {
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3720)).toBe('1h 02m');
  });
});
