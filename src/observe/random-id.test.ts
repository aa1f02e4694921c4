import { describe, expect, it } from 'vitest';
import { randomHex, timeOrderedTraceId, uuidV7 } from './random-id.ts';

describe('ids', () => {
  it('randomHex gives fresh ids of the asked length, across pool refills', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => randomHex(8)));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('uuidV7 follows RFC 9562: version 7, variant 10, the time in the first 48 bits', () => {
    const now = Date.UTC(2026, 10, 26, 5, 0, 0, 123);
    const id = uuidV7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
    expect(uuidV7(now)).not.toBe(id);
  });

  it('ids made later sort after earlier ones; ids of one millisecond differ', () => {
    const earlier = [uuidV7(1_000), timeOrderedTraceId(1_000)];
    const later = [uuidV7(1_001), timeOrderedTraceId(1_001)];
    expect(earlier[0]! < later[0]!).toBe(true);
    expect(earlier[1]! < later[1]!).toBe(true);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedTraceId(5)));
    expect(same.size).toBe(1000);
    for (const id of same) expect(id).toMatch(/^0{11}5[0-9a-f]{20}$/);
  });
});
