/**
 * A successful gateway call (Plumb.chat / chatStream / embedWith) is a trace of one span whose
 * numbers are all in its ledger row, so it is stored once: the row, booked under the trace id
 * (id = trace_id, ChatRequest.ledgerTrace / EmbedOptions.ledgerTrace), stands for the trace, and
 * no trace row is written: 1.12x the requests/s at 0.89x the CPU per request of storing both
 * (interleaved A/B, bench/gateway-overhead/LAYERS.md), and the traces table no longer grows with
 * gateway traffic. Here such rows are read back as traces: by id, and in the traces list beside the
 * stored ones. Embeddings rows are told apart by the tag the embeddings ledger puts last
 * ("embeddings"; embedding-ledger.ts). A failed call still stores its trace (with the error
 * message the row lacks); that trace wins over its row.
 */
import type { TraceRecord, TraceSummary } from '../../core/trace.ts';
import { GenAI } from '../../observe/gen-ai-attributes.ts';
import { rootSpanIdOf } from '../../observe/random-id.ts';
import type { LedgerDbRow } from './ledger-table.ts';
import type { StatementCache } from './statement-cache.ts';

type LedgerTraceRow = Pick<
  LedgerDbRow,
  'trace_id' | 'route' | 'provider' | 'model' | 'input_tokens' | 'output_tokens' | 'cached_input_tokens' | 'cost_nano_usd' | 'cache_hit' | 'latency_ms' | 'first_token_ms' | 'status' | 'streamed' | 'created_at'
> & { trace_id: string; name: string };

/** Epoch milliseconds of an ISO text column, in SQL (the traces table keeps start times as numbers). */
const START_MS = `(julianday(created_at) - 2440587.5) * 86400000.0`;
/** The root span's name: the embeddings ledger tags its rows "embeddings", last. */
const NAME = `CASE WHEN tags LIKE '%"embeddings"]' THEN 'embeddings' ELSE 'chat' END`;

/** The trace a ledger row stands for, or null when the tenant has no such row. */
export function selectLedgerTrace(sql: StatementCache, tenantId: string, traceId: string): TraceRecord | null {
  const row = sql
    .get(
      `SELECT trace_id, ${NAME} AS name, route, provider, model, input_tokens, output_tokens, cached_input_tokens, cost_nano_usd,
         cache_hit, latency_ms, first_token_ms, status, streamed, created_at
       FROM ledger WHERE tenant_id = ? AND id = ? AND trace_id = id`,
    )
    .get(tenantId, traceId) as LedgerTraceRow | undefined;
  return row ? traceOfRow(tenantId, row) : null;
}

/**
 * How many of the tenant's newest ledger rows the list looks through for rows that stand for a
 * trace. A tenant whose recent calls are mostly RAG answers (their rows belong to stored traces)
 * would otherwise have its whole ledger scanned on every listing: ~90 ms per 200,000 rows here.
 * Rows further back stay readable by id; the stored traces of those newer calls fill the list.
 */
export function ledgerRowsScanned(limit: number): number {
  return Math.max(10_000, limit * 20);
}

/**
 * The tenant's newest traces, stored ones and those standing in ledger rows together, newest
 * first. Each side is read newest-first through its own index and cut at `limit` before merging;
 * the ledger side looks through at most `scanRows` rows.
 */
export function selectAllTraceSummaries(sql: StatementCache, tenantId: string, limit = 50, scanRows = ledgerRowsScanned(limit)): TraceSummary[] {
  const rows = sql
    .get(
      `SELECT * FROM (
         SELECT trace_id, name, start_time, duration_ms, status, span_count FROM traces
         WHERE tenant_id = ? ORDER BY start_time DESC LIMIT ?)
       UNION ALL
       SELECT * FROM (
         SELECT trace_id, ${NAME} AS name, ${START_MS} AS start_time, latency_ms AS duration_ms,
           CASE status WHEN 'ok' THEN 'ok' ELSE 'error' END AS status, 1 AS span_count
         FROM (SELECT * FROM ledger WHERE tenant_id = ? ORDER BY created_at DESC, seq DESC LIMIT ?) l
         WHERE trace_id = id
           AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.tenant_id = l.tenant_id AND t.trace_id = l.trace_id)
         ORDER BY created_at DESC, seq DESC LIMIT ?)
       ORDER BY start_time DESC, trace_id LIMIT ?`,
    )
    .all(tenantId, limit, tenantId, scanRows, limit, limit) as Array<{ trace_id: string; name: string; start_time: number; duration_ms: number; status: TraceRecord['status']; span_count: number }>;
  return rows.map((row) => ({
    traceId: row.trace_id,
    tenantId,
    name: row.name,
    startTime: row.start_time,
    durationMs: row.duration_ms,
    status: row.status,
    spanCount: row.span_count,
  }));
}

/** The one-span trace Plumb would have stored, rebuilt from the row (same ids, same numbers). */
function traceOfRow(tenantId: string, row: LedgerTraceRow): TraceRecord {
  const startTime = Date.parse(row.created_at);
  const ok = row.status === 'ok';
  const attributes: Record<string, string | number | boolean> = {
    [GenAI.operationName]: row.name,
    [GenAI.requestModel]: row.route,
    [GenAI.responseModel]: row.model,
    'plumb.provider': row.provider,
    [GenAI.inputTokens]: row.input_tokens,
    [GenAI.costUsd]: row.cost_nano_usd / 1e9,
    'plumb.cache.hit': row.cache_hit,
    'plumb.trace.source': 'ledger',
  };
  if (row.name === 'chat') attributes[GenAI.outputTokens] = row.output_tokens;
  if (row.cached_input_tokens > 0) attributes[GenAI.cachedInputTokens] = row.cached_input_tokens;
  if (row.streamed === 1) attributes['plumb.streamed'] = true;
  if (row.first_token_ms !== null) attributes['plumb.first_token_ms'] = row.first_token_ms;
  if (!ok) attributes['error.type'] = row.status;
  return {
    traceId: row.trace_id,
    tenantId,
    name: row.name,
    startTime,
    durationMs: row.latency_ms,
    status: ok ? 'ok' : 'error',
    spans: [
      {
        traceId: row.trace_id,
        spanId: rootSpanIdOf(row.trace_id),
        parentSpanId: null,
        name: row.name,
        startTime,
        endTime: startTime + row.latency_ms,
        durationMs: row.latency_ms,
        status: ok ? 'ok' : 'error',
        attributes,
        events: [],
      },
    ],
  };
}
