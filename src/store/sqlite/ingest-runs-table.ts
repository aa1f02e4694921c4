/** Ingest runs: one row per `plumb ingest`, with its report once it finishes. */
import { randomUUID } from 'node:crypto';
import { PlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import type { IngestRunRecord } from '../../core/store.ts';
import { parseJsonObject } from './json-column.ts';
import type { StatementCache } from './statement-cache.ts';

interface IngestRunRow {
  tenant_id: string;
  id: string;
  started_at: string;
  finished_at: string | null;
  status: IngestRunRecord['status'];
  report: string;
}

const DEFAULT_LIST_LIMIT = 20;

function toIngestRunRecord(row: IngestRunRow): IngestRunRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    report: parseJsonObject(row.report, 'ingest report'),
  };
}

/** Records a running ingest; its report starts as `info` until the run finishes. */
export function insertIngestRun(sql: StatementCache, tenantId: string, info: JsonObject): IngestRunRecord {
  const record: IngestRunRecord = {
    id: randomUUID(),
    tenantId,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    report: info,
  };
  sql
    .get('INSERT INTO ingest_runs (tenant_id, id, started_at, finished_at, status, report) VALUES (?, ?, ?, NULL, ?, ?)')
    .run(tenantId, record.id, record.startedAt, record.status, JSON.stringify(info));
  return record;
}

/** Marks a run finished with its final report. */
export function finishIngestRunRow(
  sql: StatementCache,
  tenantId: string,
  runId: string,
  status: 'completed' | 'failed',
  report: JsonObject,
): void {
  const result = sql
    .get('UPDATE ingest_runs SET finished_at = ?, status = ?, report = ? WHERE tenant_id = ? AND id = ?')
    .run(new Date().toISOString(), status, JSON.stringify(report), tenantId, runId);
  if (result.changes === 0) {
    throw new PlumbError('not_found', `No ingest run "${runId}" for tenant "${tenantId}".`, {
      hint: 'Finish the run with the id startIngestRun returned, under the same tenant.',
    });
  }
}

/** The tenant's runs, newest first. */
export function selectIngestRuns(sql: StatementCache, tenantId: string, limit = DEFAULT_LIST_LIMIT): IngestRunRecord[] {
  const rows = sql
    .get('SELECT * FROM ingest_runs WHERE tenant_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?')
    .all(tenantId, limit) as IngestRunRow[];
  return rows.map(toIngestRunRecord);
}
