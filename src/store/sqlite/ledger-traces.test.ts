import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerEntryFixture } from '../contract/ledger.contract.ts';
import { tempDir } from '../../testing/temp-plumb.ts';
import { ledgerRowsScanned, selectAllTraceSummaries, selectLedgerTrace } from './ledger-traces.ts';
import { SqliteStore } from './sqlite-store.ts';
import { StatementCache } from './statement-cache.ts';

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, second)).toISOString();
const traceIdAt = (second: number) => `${(Date.UTC(2026, 10, 26, 12, 0, second)).toString(16).padStart(12, '0')}${'ab'.repeat(10)}`;

describe('traces listed from ledger rows', () => {
  it('looks through only the newest ledger rows, so a long ledger of other calls is not scanned on every listing', async () => {
    store = SqliteStore.open({ path: join(tempDir(), 'store.db') });
    const old = traceIdAt(0);
    const recent = traceIdAt(9);
    await store.appendLedgerEntry(ledgerEntryFixture('t', old, { traceId: old, createdAt: at(0) }));
    // Five calls inside other traces (a RAG answer's model call is booked under its own id).
    for (let i = 1; i <= 5; i++) await store.appendLedgerEntry(ledgerEntryFixture('t', `rag-call-${i}`, { traceId: traceIdAt(i), createdAt: at(i) }));
    await store.appendLedgerEntry(ledgerEntryFixture('t', recent, { traceId: recent, createdAt: at(9) }));
    await store.listLedger('t'); // commits the queued rows
    const sql = new StatementCache(store.db);

    expect(selectAllTraceSummaries(sql, 't', 10, 100).map((t) => t.traceId)).toEqual([recent, old]);
    expect(selectAllTraceSummaries(sql, 't', 10, 3).map((t) => t.traceId)).toEqual([recent]);
    // Further back than the scan, the trace is still there by id.
    expect(selectLedgerTrace(sql, 't', old)?.spans[0]?.attributes['plumb.trace.source']).toBe('ledger');
    expect(selectLedgerTrace(sql, 't', traceIdAt(1))).toBeNull();
    expect(ledgerRowsScanned(50)).toBe(10_000);
    expect(ledgerRowsScanned(1000)).toBe(20_000);
  });
});
