/** Evaluation runs, their per-case results, the judge cache and judge calibrations. */
import type { JsonObject } from '../../core/json.ts';
import type { EvalRunRow } from '../../core/store.ts';
import { parseJsonObject } from './json-column.ts';
import type { StatementCache } from './statement-cache.ts';
import { ensureTenantRow } from './tenants-table.ts';

interface EvalRunDbRow {
  tenant_id: string;
  id: string;
  name: string;
  created_at: string;
  status: EvalRunRow['status'];
  summary: string;
}

function toEvalRun(row: EvalRunDbRow): EvalRunRow {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, createdAt: row.created_at, status: row.status, summary: parseJsonObject(row.summary, 'eval run summary') };
}

/** Inserts or replaces a run row. */
export function upsertEvalRun(sql: StatementCache, run: EvalRunRow): void {
  ensureTenantRow(sql, run.tenantId);
  sql
    .get(
      `INSERT INTO eval_runs (tenant_id, id, name, created_at, status, summary) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, status = excluded.status, summary = excluded.summary`,
    )
    .run(run.tenantId, run.id, run.name, run.createdAt, run.status, JSON.stringify(run.summary));
}

/** A run by id, else the newest run with that name. */
export function selectEvalRun(sql: StatementCache, tenantId: string, idOrName: string): EvalRunRow | null {
  const row = (sql.get('SELECT * FROM eval_runs WHERE tenant_id = ? AND id = ?').get(tenantId, idOrName) ??
    sql.get('SELECT * FROM eval_runs WHERE tenant_id = ? AND name = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(tenantId, idOrName)) as
    | EvalRunDbRow
    | undefined;
  return row ? toEvalRun(row) : null;
}

/** The tenant's runs, newest first. */
export function selectEvalRuns(sql: StatementCache, tenantId: string, limit = 50): EvalRunRow[] {
  const rows = sql.get('SELECT * FROM eval_runs WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(tenantId, limit) as EvalRunDbRow[];
  return rows.map(toEvalRun);
}

/** Stores (or replaces) one case's result; keeps the case's first position. */
export function upsertEvalCaseResult(sql: StatementCache, tenantId: string, runId: string, caseId: string, result: JsonObject): void {
  sql
    .get(
      `INSERT INTO eval_case_results (tenant_id, run_id, case_id, seq, result)
       VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM eval_case_results WHERE tenant_id = ? AND run_id = ?), ?)
       ON CONFLICT (tenant_id, run_id, case_id) DO UPDATE SET result = excluded.result`,
    )
    .run(tenantId, runId, caseId, tenantId, runId, JSON.stringify(result));
}

/** A run's case results in the order they were first stored. */
export function selectEvalCaseResults(sql: StatementCache, tenantId: string, runId: string): Array<{ caseId: string; result: JsonObject }> {
  const rows = sql.get('SELECT case_id, result FROM eval_case_results WHERE tenant_id = ? AND run_id = ? ORDER BY seq').all(tenantId, runId) as Array<{ case_id: string; result: string }>;
  return rows.map((r) => ({ caseId: r.case_id, result: parseJsonObject(r.result, 'eval case result') }));
}

/** A cached judge output, or null. */
export function selectJudgeCache(sql: StatementCache, tenantId: string, key: string): JsonObject | null {
  const value = sql.get('SELECT value FROM judge_cache WHERE tenant_id = ? AND key = ?').pluck().get(tenantId, key) as string | undefined;
  return value === undefined ? null : parseJsonObject(value, 'judge cache value');
}

/** Caches a judge output under its key. */
export function upsertJudgeCache(sql: StatementCache, tenantId: string, key: string, judgeVersion: string, value: JsonObject): void {
  ensureTenantRow(sql, tenantId);
  sql
    .get(
      `INSERT INTO judge_cache (tenant_id, key, judge_version, value, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, judge_version = excluded.judge_version`,
    )
    .run(tenantId, key, judgeVersion, JSON.stringify(value), new Date().toISOString());
}

/** Stores a judge's calibration against human labels. */
export function upsertJudgeCalibration(sql: StatementCache, tenantId: string, judgeVersion: string, calibration: JsonObject): void {
  ensureTenantRow(sql, tenantId);
  sql
    .get(
      `INSERT INTO judge_calibrations (tenant_id, judge_version, calibration, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, judge_version) DO UPDATE SET calibration = excluded.calibration, created_at = excluded.created_at`,
    )
    .run(tenantId, judgeVersion, JSON.stringify(calibration), new Date().toISOString());
}

/** A judge's stored calibration, or null. */
export function selectJudgeCalibration(sql: StatementCache, tenantId: string, judgeVersion: string): JsonObject | null {
  const value = sql.get('SELECT calibration FROM judge_calibrations WHERE tenant_id = ? AND judge_version = ?').pluck().get(tenantId, judgeVersion) as string | undefined;
  return value === undefined ? null : parseJsonObject(value, 'judge calibration');
}
