/** Contract: the cost ledger — round trips, tenant isolation, ranges and totals that equal the sum of rows exactly. */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../core/store.ts';
import { useStore, type OpenStore } from './use-store.ts';

/** A booked ok request of `tenantId`; override any field. */
export function ledgerEntryFixture(tenantId: string, id: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id,
    tenantId,
    route: 'chat-default',
    provider: 'openai',
    model: 'gpt-4o-mini-2024-07-18',
    inputTokens: 120,
    outputTokens: 30,
    cachedInputTokens: 64,
    cacheWriteInputTokens: 0,
    reasoningTokens: 0,
    costNanoUsd: 27_600,
    cacheHit: 'none',
    latencyMs: 812.25,
    firstTokenMs: null,
    status: 'ok',
    streamed: false,
    attempts: 1,
    tags: ['rag'],
    createdAt: '2026-03-01T10:00:00.000Z',
    requestId: `req-${id}`,
    traceId: null,
    ...overrides,
  };
}

/** A deterministic PRNG (mulberry32), so the "many rows" test is the same every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prices per million tokens that are not round in binary floating point. */
const AWKWARD_PRICES = [0.075, 0.1, 0.15, 0.3, 0.01875, 1.1, 2.5, 1 / 3, 0.0375, 12.345];

export function ledgerContract(open: OpenStore): void {
  describe('cost ledger', () => {
    const store = useStore(open);

    it('stores every field of a row and reads it back unchanged', async () => {
      const streamed = ledgerEntryFixture('t', 'r2', {
        streamed: true, firstTokenMs: 41.5, status: 'upstream_error', attempts: 3, cacheHit: 'semantic', tags: [], traceId: 'trace-1',
        reasoningTokens: 12, cacheWriteInputTokens: 2000, inputTokens: 2120, createdAt: '2026-03-01T10:00:01.000Z',
      });
      await store().appendLedgerEntry(ledgerEntryFixture('t', 'r1'));
      await store().appendLedgerEntry(streamed);
      expect(await store().listLedger('t')).toEqual([ledgerEntryFixture('t', 'r1'), streamed]);
    });

    it('never shows or counts one tenant’s rows for another', async () => {
      await store().appendLedgerEntry(ledgerEntryFixture('a', 'same-id', { costNanoUsd: 5 }));
      await store().appendLedgerEntry(ledgerEntryFixture('b', 'same-id', { costNanoUsd: 7, inputTokens: 3 }));
      expect((await store().listLedger('a')).map((e) => e.costNanoUsd)).toEqual([5]);
      expect(await store().ledgerTotals('b')).toMatchObject({ requests: 1, inputTokens: 3, costNanoUsd: 7 });
      expect(await store().listLedger('nobody')).toEqual([]);
      expect(await store().ledgerTotals('nobody')).toEqual({
        requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, costNanoUsd: 0, costUsd: 0,
      });
    });

    it('totals equal the sum of the rows exactly over many rows with awkward prices', async () => {
      const random = prng(42);
      const base = Date.parse('2026-03-01T00:00:00.000Z');
      for (let i = 0; i < 600; i++) {
        const input = Math.floor(random() * 50_000);
        const output = Math.floor(random() * 8_000);
        const price = AWKWARD_PRICES[i % AWKWARD_PRICES.length]!;
        await store().appendLedgerEntry(
          ledgerEntryFixture('t', `r${i}`, {
            inputTokens: input,
            outputTokens: output,
            cachedInputTokens: Math.floor(input / 3),
            cacheWriteInputTokens: Math.floor(input / 5),
            reasoningTokens: Math.floor(output / 4),
            // Rounded once at booking, as the gateway does; some rows cost thousands of dollars.
            costNanoUsd: Math.round((input + output) * price * 1000) * (i % 50 === 0 ? 100_000 : 1),
            createdAt: new Date(base + i * 1000).toISOString(),
          }),
        );
      }
      const rows = await store().listLedger('t');
      const totals = await store().ledgerTotals('t');
      const sum = (field: 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'cacheWriteInputTokens' | 'reasoningTokens' | 'costNanoUsd') =>
        rows.reduce((acc, row) => acc + row[field], 0);
      expect(totals.requests).toBe(600);
      expect(totals.costNanoUsd).toBe(sum('costNanoUsd'));
      expect(totals.costUsd).toBe(sum('costNanoUsd') / 1e9);
      expect(totals.inputTokens).toBe(sum('inputTokens'));
      expect(totals.outputTokens).toBe(sum('outputTokens'));
      expect(totals.cachedInputTokens).toBe(sum('cachedInputTokens'));
      expect(totals.cacheWriteInputTokens).toBe(sum('cacheWriteInputTokens'));
      expect(totals.reasoningTokens).toBe(sum('reasoningTokens'));

      // Adjacent half-open windows add up to the whole.
      const cut = new Date(base + 250_000).toISOString();
      const before = await store().ledgerTotals('t', { until: cut });
      const after = await store().ledgerTotals('t', { since: cut });
      expect(before.requests).toBe(250);
      expect(before.costNanoUsd + after.costNanoUsd).toBe(totals.costNanoUsd);
      expect(before.inputTokens + after.inputTokens).toBe(totals.inputTokens);
    });

    it('lists a range oldest first, or newest first with a limit', async () => {
      for (const [id, at] of [['x', '2026-03-01T10:00:00Z'], ['y', '2026-03-01T11:00:00Z'], ['z', '2026-03-01T12:00:00Z']] as const) {
        await store().appendLedgerEntry(ledgerEntryFixture('t', id, { createdAt: at }));
      }
      const ids = (rows: LedgerEntry[]) => rows.map((row) => row.id);
      expect(ids(await store().listLedger('t', { since: '2026-03-01T11:00:00Z' }))).toEqual(['y', 'z']);
      expect(ids(await store().listLedger('t', { until: '2026-03-01T11:00:00Z' }))).toEqual(['x']);
      expect(ids(await store().listLedger('t', { order: 'desc', limit: 2 }))).toEqual(['z', 'y']);
      // Times are stored in one canonical form whatever form they were given in.
      expect((await store().listLedger('t', { limit: 1 }))[0]!.createdAt).toBe('2026-03-01T10:00:00.000Z');
    });

    it('refuses to book the same request twice, and rows that cannot be summed exactly', async () => {
      await store().appendLedgerEntry(ledgerEntryFixture('t', 'once'));
      await expect(store().appendLedgerEntry(ledgerEntryFixture('t', 'once'))).rejects.toMatchObject({ code: 'conflict' });
      await expect(store().appendLedgerEntry(ledgerEntryFixture('t', 'frac', { costNanoUsd: 1.5 }))).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store().appendLedgerEntry(ledgerEntryFixture('t', 'neg', { inputTokens: -1 }))).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store().appendLedgerEntry(ledgerEntryFixture('t', 'when', { createdAt: 'yesterday' }))).rejects.toMatchObject({ code: 'bad_request' });
      expect((await store().ledgerTotals('t')).requests).toBe(1);
    });
  });
}
