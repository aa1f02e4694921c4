import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerEntryFixture } from '../contract/ledger.contract.ts';
import { SqliteStore } from './sqlite-store.ts';

const dirs: string[] = [];
function openTempWith(writerThread: boolean, groupCommitMs?: number): { store: SqliteStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-group-commit-'));
  dirs.push(dir);
  const path = join(dir, 'plumb.db');
  return { store: SqliteStore.open({ path, writerThread, ...(groupCommitMs === undefined ? {} : { groupCommitMs }) }), path };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  { queue: 'on the writer thread', writerThread: true },
  { queue: 'in-process', writerThread: false },
])('SqliteStore group commit (ledger rows and traces) $queue', ({ writerThread }) => {
  const openTemp = (groupCommitMs?: number) => openTempWith(writerThread, groupCommitMs);

  it('commits the rows queued in one turn in a single transaction, each promise settling after it', async () => {
    const { store } = openTemp();
    const writes = Array.from({ length: 50 }, (_, i) => store.appendLedgerEntry(ledgerEntryFixture('acme', `r${i}`)));
    expect(store.rowCommits).toBe(0);
    await Promise.all(writes);
    expect(store.rowCommits).toBe(1);
    expect(await store.listLedger('acme')).toHaveLength(50);
    await store.close();
  });

  it('gathers rows written across turns within the window, and commits them once the window ends', async () => {
    const { store, path } = openTemp(40);
    const other = new Database(path, { readonly: true });
    const count = () => other.prepare('SELECT count(*) FROM ledger').pluck().get();
    const first = store.appendLedgerEntry(ledgerEntryFixture('acme', 'one'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = store.appendLedgerEntry(ledgerEntryFixture('acme', 'two'));
    expect(count()).toBe(0);
    await Promise.all([first, second]);
    expect(store.rowCommits).toBe(1);
    expect(count()).toBe(2);
    other.close();
    await store.close();
  });

  it('loses only the bad row of a batch and stores the rest', async () => {
    const { store } = openTemp();
    const good = [store.appendLedgerEntry(ledgerEntryFixture('acme', 'a')), store.appendLedgerEntry(ledgerEntryFixture('beta', 'b'))];
    // A row that fails its checks is refused at once; one the database refuses fails alone.
    await expect(store.appendLedgerEntry(ledgerEntryFixture('acme', 'c', { inputTokens: -1 }))).rejects.toMatchObject({ code: 'bad_request' });
    await expect(store.appendLedgerEntry(ledgerEntryFixture('acme', 'd', { costNanoUsd: 0.5 }))).rejects.toThrow(/costNanoUsd must be a non-negative integer/);
    const duplicate = store.appendLedgerEntry(ledgerEntryFixture('acme', 'a'));
    await Promise.all(good);
    await expect(duplicate).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.listLedger('acme')).map((row) => row.id)).toEqual(['a']);
    expect((await store.listLedger('beta')).map((row) => row.id)).toEqual(['b']);
    await store.close();
  });

  it('lets a read in the same turn see the rows queued before it', async () => {
    const { store } = openTemp();
    const write = store.appendLedgerEntry(ledgerEntryFixture('acme', 'x', { costNanoUsd: 1234 }));
    // No await between the write and the read: the read flushes the queue first.
    const totals = await store.ledgerTotals('acme');
    expect(totals.costNanoUsd).toBe(1234);
    await write;
    await store.close();
  });

  it('writes what is still queued when the store closes, so another connection finds it', async () => {
    const { store, path } = openTemp();
    const write = store.appendLedgerEntry(ledgerEntryFixture('acme', 'late'));
    await store.close();
    await write;
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT id FROM ledger WHERE tenant_id = ?').pluck().all('acme')).toEqual(['late']);
    other.close();
  });

  it('keeps a process alive until an awaited row is committed, and lets it exit after (store left open)', async () => {
    const { path } = openTemp();
    const script = join(dirs[dirs.length - 1]!, 'write-one.mts');
    writeFileSync(
      script,
      `import { SqliteStore } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'sqlite-store.ts')).href)};
       const store = SqliteStore.open({ path: ${JSON.stringify(path)}, groupCommitMs: 50, writerThread: ${writerThread} });
       await store.appendLedgerEntry(${JSON.stringify(ledgerEntryFixture('acme', 'from-child'))});
       console.log('committed');`,
    );
    // Never closed: the process must still exit on its own (a timeout here means a thread held it open).
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('committed');
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT id FROM ledger').pluck().all()).toEqual(['from-child']);
    other.close();
  });

  it('rejects a tenant id it would refuse anywhere else before queueing anything', async () => {
    const { store } = openTemp();
    await expect(store.appendLedgerEntry(ledgerEntryFixture('', 'x'))).rejects.toMatchObject({ code: 'bad_request' });
    await store.close();
  });
});

describe('SqliteStore writer thread failures', () => {
  it('rejects the writes the thread cannot commit (the file was removed under it) instead of hanging', async () => {
    const { store, path } = openTempWith(true);
    // The thread opens its own connection on the first write: it finds a new, empty file.
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    const first = store.appendLedgerEntry(ledgerEntryFixture('acme', 'lost'));
    const second = store.saveTrace({ traceId: 't1', tenantId: 'acme', name: 'chat', startTime: 0, durationMs: 1, status: 'ok', spans: [] });
    await expect(first).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/no such table/) });
    await expect(second).rejects.toMatchObject({ code: 'internal' });
    await store.close();
  });

  it('fails every write with a clear error once the thread cannot even open the file, and keeps failing fast', async () => {
    const { store, path } = openTempWith(true);
    rmSync(join(path, '..'), { recursive: true, force: true }); // no folder: the thread cannot open its connection
    await expect(store.appendLedgerEntry(ledgerEntryFixture('acme', 'lost'))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/writer thread stopped/) });
    await expect(store.appendLedgerEntry(ledgerEntryFixture('acme', 'later'))).rejects.toMatchObject({ code: 'unavailable' });
    await store.close();
  });
});
