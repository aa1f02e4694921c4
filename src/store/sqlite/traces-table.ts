/**
 * Finished traces: a summary row plus the spans as one JSON array (traces are read whole). Listing
 * them, with the traces that stand in ledger rows, is ledger-traces.ts.
 */
import type { SpanRecord, TraceRecord } from '../../core/trace.ts';
import { parseJsonColumn } from './json-column.ts';
import type { SqlOp } from './sql-op.ts';
import type { StatementCache } from './statement-cache.ts';

interface TraceRow {
  tenant_id: string;
  trace_id: string;
  name: string;
  start_time: number;
  duration_ms: number;
  status: TraceRecord['status'];
}

const UPSERT_TRACE_SQL = `INSERT INTO traces (tenant_id, trace_id, name, start_time, duration_ms, status, span_count, spans, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, trace_id) DO UPDATE SET name = excluded.name, start_time = excluded.start_time,
    duration_ms = excluded.duration_ms, status = excluded.status, span_count = excluded.span_count, spans = excluded.spans`;

/** The write that stores a trace, replacing an earlier save of the same trace id. */
export function traceUpsertOp(trace: TraceRecord): SqlOp {
  return {
    sql: UPSERT_TRACE_SQL,
    params: [trace.tenantId, trace.traceId, trace.name, trace.startTime, trace.durationMs, trace.status, trace.spans.length,
      JSON.stringify(trace.spans), new Date().toISOString()],
  };
}

/** One trace of the tenant with all its spans, or null. */
export function selectTrace(sql: StatementCache, tenantId: string, traceId: string): TraceRecord | null {
  const row = sql.get('SELECT * FROM traces WHERE tenant_id = ? AND trace_id = ?').get(tenantId, traceId) as
    | (TraceRow & { spans: string })
    | undefined;
  if (!row) return null;
  return {
    traceId: row.trace_id,
    tenantId: row.tenant_id,
    name: row.name,
    startTime: row.start_time,
    durationMs: row.duration_ms,
    status: row.status,
    spans: parseJsonColumn<SpanRecord[]>(row.spans, 'trace spans'),
  };
}
