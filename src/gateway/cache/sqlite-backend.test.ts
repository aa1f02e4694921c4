import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheBackendContract } from './cache-backend.contract.ts';
import type { SemanticEntry } from './cached-answer.ts';
import { createSqliteCacheBackend } from './sqlite-backend.ts';

const dir = mkdtempSync(join(tmpdir(), 'plumb-sqlite-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
cacheBackendContract('sqlite', () => createSqliteCacheBackend({ path: join(dir, `contract-${n++}.db`) }));

const answer = (text: string) => ({ text, toolCalls: [], finishReason: 'stop' as const, model: 'm', provider: 'p', usage: { inputTokens: 4, outputTokens: 2 }, usd: 0.002 });
const entry = (id: string, documentIds?: string[]): SemanticEntry => ({ id, question: id, vector: Float32Array.from([1, 0, 0.5]), answer: answer(id), storedAt: 0, ...(documentIds ? { documentIds } : {}) });

describe('SQLite cache backend', () => {
  it('keeps its entries across a restart (a new backend on the same file)', async () => {
    const path = join(dir, 'restart.db');
    const first = createSqliteCacheBackend({ path });
    await first.setExact('acme', 'k', { answer: answer('kept'), storedAt: 1 }, 60_000);
    await first.addSemantic('acme', 'scope', entry('0001', ['doc-1']), 60_000);
    await first.close();
    const second = createSqliteCacheBackend({ path });
    expect((await second.getExact('acme', 'k'))?.answer.text).toBe('kept');
    expect((await second.scanSemantic('acme', 'scope')).map((e) => [e.id, Array.from(e.vector)])).toEqual([['0001', [1, 0, 0.5]]]);
    expect(await second.invalidateDocuments('acme', ['doc-1'])).toBe(1);
    await second.close();
  });

  it('keeps at most maxEntriesPerScope entries per scope, dropping the oldest', async () => {
    const b = createSqliteCacheBackend({ path: join(dir, 'bound.db'), maxEntriesPerScope: 2 });
    for (const id of ['001', '002', '003']) await b.addSemantic('t', 's', entry(id), 60_000);
    await b.addSemantic('t', 'other', entry('001'), 60_000);
    expect((await b.scanSemantic('t', 's')).map((e) => e.id).sort()).toEqual(['002', '003']);
    expect((await b.scanSemantic('t', 'other')).map((e) => e.id)).toEqual(['001']);
    await b.close();
  });

  it('sweeps expired rows and their document links out of the file', async () => {
    let now = 1_000;
    const path = join(dir, 'sweep.db');
    const b = createSqliteCacheBackend({ path, sweepEvery: 3, now: () => now });
    await b.setExact('t', 'old', { answer: answer('old'), storedAt: 0, documentIds: ['d'] }, 10);
    await b.addSemantic('t', 's', entry('001', ['d']), 10);
    now += 100;
    await b.setExact('t', 'new', { answer: answer('new'), storedAt: 0 }, 60_000); // third write: sweep
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT key FROM cache_exact').pluck().all()).toEqual(['new']);
    expect(raw.prepare('SELECT count(*) FROM cache_semantic').pluck().get()).toBe(0);
    expect(raw.prepare('SELECT count(*) FROM cache_documents').pluck().get()).toBe(0);
    raw.close();
    await b.close();
  });

  it('fails with a clear error when the file cannot be opened', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    expect(() => createSqliteCacheBackend({ path: join(blocker, 'cache.db') })).toThrow(/Cannot open the SQLite cache/);
  });
});
