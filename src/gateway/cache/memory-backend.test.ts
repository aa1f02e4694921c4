import { describe, expect, it } from 'vitest';
import { cacheBackendContract } from './cache-backend.contract.ts';
import { createMemoryCacheBackend } from './memory-backend.ts';

cacheBackendContract('memory', () => createMemoryCacheBackend());

describe('memory backend bound', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const b = createMemoryCacheBackend({ maxEntries: 2 });
    const entry = (text: string) => ({ answer: { text, toolCalls: [], finishReason: 'stop' as const, model: 'm', provider: 'p', usage: { inputTokens: 0, outputTokens: 0 }, usd: 0 }, storedAt: 0 });
    await b.setExact('t', 'a', entry('a'), 60_000);
    await b.setExact('t', 'b', entry('b'), 60_000);
    await b.getExact('t', 'a'); // a is now the most recent
    await b.setExact('t', 'c', entry('c'), 60_000);
    expect(await b.getExact('t', 'b')).toBeUndefined();
    expect((await b.getExact('t', 'a'))?.answer.text).toBe('a');
    expect((await b.getExact('t', 'c'))?.answer.text).toBe('c');
  });
});
