/** Contract: ingest runs, traces and API keys. */
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../core/store.ts';
import type { TraceRecord } from '../../core/trace.ts';
import { useStore, type OpenStore } from './use-store.ts';

const T = 'tenant-a';

/** A two-span trace starting at `startTime`. */
export function traceFixture(tenantId: string, traceId: string, startTime: number): TraceRecord {
  return {
    traceId,
    tenantId,
    name: 'rag.query',
    startTime,
    durationMs: 12.5,
    status: 'ok',
    spans: [
      {
        traceId, spanId: `${traceId}-root`, parentSpanId: null, name: 'rag.query', startTime, endTime: startTime + 12.5,
        durationMs: 12.5, status: 'ok', attributes: { 'gen_ai.operation.name': 'chat', tags: ['a', 'b'] }, events: [],
      },
      {
        traceId, spanId: `${traceId}-child`, parentSpanId: `${traceId}-root`, name: 'retrieve', startTime: startTime + 1,
        endTime: startTime + 3, durationMs: 2, status: 'error', statusMessage: 'boom', attributes: { hits: 3 },
        events: [{ name: 'retry', time: startTime + 2, attributes: { attempt: 1 } }],
      },
    ],
  };
}

/** An active API key of `tenantId`. */
export function apiKeyFixture(tenantId: string, id: string): ApiKeyRecord {
  return { id, tenantId, name: `key ${id}`, keyHash: `hash-of-${tenantId}-${id}`, createdAt: '2024-05-01T10:00:00.000Z', revokedAt: null };
}

/** Ingest-run, trace and API-key behaviour every Store must have. */
export function recordsContract(open: OpenStore): void {
  describe('ingest runs, traces and api keys', () => {
    const store = useStore(open);

    it('records an ingest run from start to finish, newest first', async () => {
      const first = await store().startIngestRun(T, { path: './docs' });
      expect(first).toMatchObject({ tenantId: T, status: 'running', finishedAt: null, report: { path: './docs' } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await store().startIngestRun(T, { path: './more' });
      await store().finishIngestRun(T, first.id, 'completed', { documents: 3, skipped: [{ file: 'x.bin', reason: 'binary' }] });
      const runs = await store().listIngestRuns(T);
      expect(runs.map((r) => r.id)).toEqual([second.id, first.id]);
      expect(runs[1]).toMatchObject({ status: 'completed', report: { documents: 3, skipped: [{ file: 'x.bin', reason: 'binary' }] } });
      expect(Date.parse(runs[1]!.finishedAt!)).not.toBeNaN();
      expect(await store().listIngestRuns(T, 1)).toHaveLength(1);
      await expect(store().finishIngestRun(T, 'no-such-run', 'failed', {})).rejects.toMatchObject({ code: 'not_found' });
    });

    it('saves and reads traces whole, lists them newest first with span counts', async () => {
      await store().saveTrace(traceFixture(T, 'old', 1_000));
      await store().saveTrace(traceFixture(T, 'new', 2_000));
      await store().saveTrace(traceFixture(T, 'mid', 1_500));
      expect(await store().getTrace(T, 'mid')).toEqual(traceFixture(T, 'mid', 1_500));
      expect(await store().getTrace(T, 'missing')).toBeNull();
      const list = await store().listTraces(T);
      expect(list.map((t) => t.traceId)).toEqual(['new', 'mid', 'old']);
      expect(list[0]).toEqual({ traceId: 'new', tenantId: T, name: 'rag.query', startTime: 2_000, durationMs: 12.5, status: 'ok', spanCount: 2 });
      expect(await store().listTraces(T, 2)).toHaveLength(2);
      await store().saveTrace({ ...traceFixture(T, 'old', 1_000), status: 'error' });
      expect((await store().getTrace(T, 'old'))?.status).toBe('error');
      expect(await store().listTraces(T)).toHaveLength(3);
    });

    it('finds API keys by hash, lists and revokes them', async () => {
      await store().putApiKey(apiKeyFixture(T, 'k1'));
      await store().putApiKey(apiKeyFixture(T, 'k2'));
      expect(await store().findApiKeyByHash(`hash-of-${T}-k1`)).toEqual(apiKeyFixture(T, 'k1'));
      expect(await store().findApiKeyByHash('unknown')).toBeNull();
      expect((await store().listApiKeys(T)).map((k) => k.id)).toEqual(['k1', 'k2']);
      expect(await store().revokeApiKey(T, 'k1')).toBe(true);
      const revoked = await store().findApiKeyByHash(`hash-of-${T}-k1`);
      expect(Date.parse(revoked!.revokedAt!)).not.toBeNaN();
      expect(await store().revokeApiKey(T, 'k1')).toBe(true);
      expect((await store().findApiKeyByHash(`hash-of-${T}-k1`))?.revokedAt).toBe(revoked!.revokedAt);
      expect(await store().revokeApiKey(T, 'nope')).toBe(false);
      expect((await store().findApiKeyByHash(`hash-of-${T}-k2`))?.revokedAt).toBeNull();
    });

    it('refuses a second key with the same hash', async () => {
      await store().putApiKey(apiKeyFixture(T, 'k1'));
      await expect(store().putApiKey({ ...apiKeyFixture(T, 'k1'), id: 'k9' })).rejects.toMatchObject({ code: 'conflict' });
    });
  });
}
