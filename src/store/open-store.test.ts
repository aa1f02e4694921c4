import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ledgerEntryFixture } from './contract/ledger.contract.ts';
import { openStore } from './index.ts';

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
afterAll(() => fs.rmSync(tempRoot, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens a SQLite file from a plain path and from sqlite:<path>', async () => {
    for (const url of [path.join(tempRoot, 'a.db'), `sqlite:${path.join(tempRoot, 'b.db')}`, `sqlite://${path.join(tempRoot, 'c.db')}`]) {
      const store = await openStore(url);
      expect(store.kind).toBe('sqlite');
      await store.close();
    }
    expect(fs.readdirSync(tempRoot).filter((f) => f.endsWith('.db')).sort()).toEqual(['a.db', 'b.db', 'c.db']);
  });

  it('holds ledger rows for the group-commit window it is given; a read flushes them at once', async () => {
    const file = path.join(tempRoot, 'window.db');
    const store = await openStore(file, { groupCommitMs: 1_000 });
    const queued = store.appendLedgerEntry(ledgerEntryFixture('acme', 'r1'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    const other = new Database(file, { readonly: true });
    expect(other.prepare('SELECT count(*) FROM ledger').pluck().get()).toBe(0);
    const started = performance.now();
    expect(await store.listLedger('acme')).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(900);
    await queued;
    expect(other.prepare('SELECT count(*) FROM ledger').pluck().get()).toBe(1);
    other.close();
    await store.close();
  });

  it('opens an in-memory store', async () => {
    const store = await openStore('sqlite::memory:');
    expect(await store.countDocuments('t')).toBe(0);
    await store.close();
  });

  it('says PostgreSQL is not supported yet', async () => {
    await expect(openStore('postgres://u:p@localhost/plumb')).rejects.toMatchObject({ code: 'invalid_config', message: /not yet supported/ });
    await expect(openStore('postgresql://localhost/plumb')).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('rejects unknown schemes and empty URLs', async () => {
    await expect(openStore('mysql://localhost/x')).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(openStore('  ')).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
