import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { runStoreContract } from '../store.contract.ts';
import { documentFixture } from '../store-fixtures.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
let counter = 0;
const freshPath = () => path.join(tempRoot, `store-${++counter}`, 'plumb.db');

afterAll(() => fs.rmSync(tempRoot, { recursive: true, force: true }));

runStoreContract('sqlite (temp file)', async () => SqliteStore.open({ path: freshPath() }));

describe('SqliteStore specifics', () => {
  it('creates parent folders and sets WAL, foreign keys, busy timeout and synchronous=NORMAL', async () => {
    const file = freshPath();
    const store = SqliteStore.open({ path: file });
    expect(fs.existsSync(file)).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.kind).toBe('sqlite');
    await store.close();
  });

  it('works in memory', async () => {
    const store = SqliteStore.open({ path: ':memory:' });
    const { document, chunks } = documentFixture('d1', ['in memory']);
    expect((await store.putDocument('t', document, chunks)).status).toBe('inserted');
    await store.close();
  });

  it('applies migrations once: reopening keeps data and records each version once', async () => {
    const file = freshPath();
    const first = SqliteStore.open({ path: file });
    const { document, chunks } = documentFixture('d1', ['survives reopen']);
    await first.putDocument('t', document, chunks);
    await first.close();
    const second = SqliteStore.open({ path: file });
    const versions = second.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(versions.at(-1)).toBe(LATEST_SCHEMA_VERSION);
    expect(await second.keywordSearch('t', 'survives', 5)).toHaveLength(1);
    await second.close();
  });

  it('refuses a database written by a newer schema with an actionable PlumbError', async () => {
    const file = freshPath();
    await SqliteStore.open({ path: file }).close();
    const raw = new Database(file);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', 'x');
    raw.close();
    let error: unknown;
    try {
      SqliteStore.open({ path: file });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PlumbError);
    expect(error).toMatchObject({ code: 'invalid_config', details: { schemaVersion: LATEST_SCHEMA_VERSION + 1 } });
    expect((error as PlumbError).hint).toMatch(/upgrade plumb/);
  });

  it('keeps the FTS index row for row in step with chunks through replace and delete', async () => {
    const store = SqliteStore.open({ path: freshPath() });
    const ftsRows = () => store.db.prepare('SELECT count(*) FROM chunks_fts').pluck().get();
    const v1 = documentFixture('d1', ['a b', 'c d', 'e f']);
    await store.putDocument('t', v1.document, v1.chunks);
    expect(ftsRows()).toBe(3);
    const v2 = documentFixture('d1', ['a b', 'g h']);
    await store.putDocument('t', v2.document, v2.chunks);
    expect(ftsRows()).toBe(2);
    await store.deleteDocument('t', 'd1');
    expect(ftsRows()).toBe(0);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await store.close();
  });

  it('tells one instance about writes made through another instance on the same file, never its own', async () => {
    const file = freshPath();
    const server = SqliteStore.open({ path: file });
    const cli = SqliteStore.open({ path: file });
    const own = documentFixture('mine', ['x y']);
    await server.putDocument('t', own.document, own.chunks);
    expect(await server.externalRevision('t')).toBe(0);

    const theirs = documentFixture('theirs', ['p q', 'r s']);
    await cli.putDocument('t', theirs.document, theirs.chunks);
    const afterPut = await server.externalRevision('t');
    expect(afterPut).toBeGreaterThan(0);
    expect(await cli.externalRevision('t')).toBe(0 + 1); // the server's one write

    // An unchanged re-put writes nothing and moves nothing.
    await cli.putDocument('t', theirs.document, theirs.chunks);
    expect(await server.externalRevision('t')).toBe(afterPut);

    await cli.putVectors('t', 'm', [{ chunkId: theirs.chunks[0]!.id, vector: new Float32Array([1, 0]) }]);
    const afterVectors = await server.externalRevision('t');
    expect(afterVectors).toBeGreaterThan(afterPut);
    await cli.deleteDocument('t', 'theirs');
    expect(await server.externalRevision('t')).toBeGreaterThan(afterVectors);
    // Other tenants are not affected.
    expect(await server.externalRevision('other')).toBe(0);
    await server.close();
    await cli.close();
  });

  it('answers calls after close with a PlumbError', async () => {
    const store = SqliteStore.open({ path: ':memory:' });
    await store.close();
    await expect(store.countDocuments('t')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
