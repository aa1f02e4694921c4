import { describe, expect, it } from 'vitest';
import { decodeVector, encodeVector } from './vector-codec.ts';

describe('vector codec', () => {
  it('encodes float32 little-endian', () => {
    expect([...encodeVector(new Float32Array([1, -2]))]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('decodes bytes that sit at an odd offset of a shared buffer', () => {
    const pool = Buffer.alloc(64, 0xff);
    const encoded = encodeVector(new Float32Array([0.5, -3.25, 1e-30]));
    encoded.copy(pool, 5);
    const unaligned = pool.subarray(5, 5 + encoded.byteLength);
    expect(unaligned.byteOffset % 4).not.toBe(0);
    const decoded = decodeVector(unaligned);
    expect([...decoded]).toEqual([...new Float32Array([0.5, -3.25, 1e-30])]);
    pool.fill(0);
    expect(decoded[0]).toBe(0.5);
  });

  it('refuses a byte length that is not a multiple of 4', () => {
    expect(() => decodeVector(new Uint8Array(6))).toThrow(/multiple of 4/);
  });
});
