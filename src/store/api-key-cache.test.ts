import { describe, expect, it } from 'vitest';
import { ApiKeyCache } from './api-key-cache.ts';

function counted(table: Record<string, string | null>) {
  const calls: string[] = [];
  const lookup = async (key: string) => {
    calls.push(key);
    return table[key] ?? null;
  };
  return { calls, lookup };
}

describe('ApiKeyCache', () => {
  it('looks a key up once per TTL, unknown keys included', async () => {
    let now = 0;
    const { calls, lookup } = counted({ k1: 'acme' });
    const cache = new ApiKeyCache(lookup, { ttlMs: 1000, now: () => now });
    expect(await cache.tenantFor('k1')).toBe('acme');
    expect(await cache.tenantFor('k1')).toBe('acme');
    expect(await cache.tenantFor('nope')).toBeNull();
    expect(await cache.tenantFor('nope')).toBeNull();
    expect(calls).toEqual(['k1', 'nope']);
    now = 1000;
    expect(await cache.tenantFor('k1')).toBe('acme');
    expect(calls).toEqual(['k1', 'nope', 'k1']);
  });

  it('sees a revocation made elsewhere once the TTL has passed, and at once after clear()', async () => {
    let now = 0;
    const table: Record<string, string | null> = { k1: 'acme' };
    const cache = new ApiKeyCache(async (key) => table[key] ?? null, { ttlMs: 500, now: () => now });
    expect(await cache.tenantFor('k1')).toBe('acme');
    table['k1'] = null;
    now = 499;
    expect(await cache.tenantFor('k1')).toBe('acme');
    now = 500;
    expect(await cache.tenantFor('k1')).toBeNull();
    table['k1'] = 'acme';
    cache.clear();
    expect(await cache.tenantFor('k1')).toBe('acme');
  });

  it('keeps at most maxEntries keys, dropping the oldest', async () => {
    const { calls, lookup } = counted({});
    const cache = new ApiKeyCache(lookup, { ttlMs: 60_000, maxEntries: 2 });
    await cache.tenantFor('a');
    await cache.tenantFor('b');
    await cache.tenantFor('c'); // evicts a
    await cache.tenantFor('c');
    await cache.tenantFor('b');
    await cache.tenantFor('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('with ttlMs 0 asks the store every time', async () => {
    const { calls, lookup } = counted({ k1: 'acme' });
    const cache = new ApiKeyCache(lookup, { ttlMs: 0 });
    await cache.tenantFor('k1');
    await cache.tenantFor('k1');
    expect(calls).toEqual(['k1', 'k1']);
  });

  it('does not remember an answer whose look-up started before a clear() (a revocation in between)', async () => {
    const table: Record<string, string | null> = { k1: 'acme' };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const cache = new ApiKeyCache(async (key) => {
      const answer = table[key] ?? null;
      if (first) {
        first = false;
        await gate; // the store answered before the revocation; the answer arrives after it
      }
      return answer;
    }, { ttlMs: 60_000 });
    const pending = cache.tenantFor('k1');
    table['k1'] = null;
    cache.clear();
    release();
    expect(await pending).toBe('acme');
    expect(await cache.tenantFor('k1')).toBeNull();
  });
});
