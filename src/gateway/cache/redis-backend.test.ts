// Runs against the real Redis on 127.0.0.1:6379 under a key prefix unique to this run, deleted afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheBackendContract } from './cache-backend.contract.ts';
import { createRedisCacheBackend } from './redis-backend.ts';

const prefix = `plumb-test:${randomUUID()}:`;
const admin = new Redis('redis://127.0.0.1:6379');

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
});

let n = 0;
cacheBackendContract('redis', () => createRedisCacheBackend({ keyPrefix: `${prefix}${n++}:` }));

describe('redis backend bound', () => {
  it('keeps at most maxEntriesPerScope entries, dropping the oldest', async () => {
    const b = createRedisCacheBackend({ keyPrefix: `${prefix}bound:`, maxEntriesPerScope: 2 });
    const entry = (id: string) => ({ id, question: id, vector: Float32Array.from([1]), answer: { text: id, toolCalls: [], finishReason: 'stop' as const, model: 'm', provider: 'p', usage: { inputTokens: 0, outputTokens: 0 }, usd: 0 }, storedAt: 0 });
    for (const id of ['001', '002', '003']) await b.addSemantic('t', 's', entry(id), 60_000);
    expect((await b.scanSemantic('t', 's')).map((e) => e.id).sort()).toEqual(['002', '003']);
    await b.close();
  });
});
