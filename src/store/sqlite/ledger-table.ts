/**
 * The cost ledger: one row per gateway request. Costs are integer nano-dollars and totals are
 * SUM()s over the same rows (read as 64-bit integers), so a total always equals its rows' sum.
 */
import { PlumbError } from '../../core/errors.ts';
import type { LedgerCacheHit, LedgerEntry, LedgerRange, LedgerTotals, ListLedgerOptions } from '../../core/store.ts';
import { parseJsonColumn } from './json-column.ts';
import type { SqlOp } from './sql-op.ts';
import type { StatementCache } from './statement-cache.ts';

/** A ledger row as SQLite returns it. */
export interface LedgerDbRow {
  tenant_id: string;
  id: string;
  route: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  reasoning_tokens: number;
  cost_nano_usd: number;
  cache_hit: LedgerCacheHit;
  latency_ms: number;
  first_token_ms: number | null;
  status: string;
  streamed: 0 | 1;
  attempts: number;
  tags: string;
  created_at: string;
  request_id: string;
  trace_id: string | null;
}

const CACHE_HITS: ReadonlySet<string> = new Set<LedgerCacheHit>(['none', 'exact', 'semantic']);

const INSERT_LEDGER_SQL = `INSERT INTO ledger (tenant_id, id, route, provider, model, input_tokens, output_tokens, cached_input_tokens,
    cache_write_input_tokens, reasoning_tokens, cost_nano_usd, cache_hit, latency_ms, first_token_ms, status, streamed,
    attempts, tags, created_at, request_id, trace_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The insert of one ledger row, checked here (a bad row fails its caller at once, not its batch).
 * The tenant row must exist when it runs; a duplicate id for the tenant is a conflict.
 */
export function ledgerInsertOp(entry: LedgerEntry): SqlOp {
  const createdAt = normaliseTime(entry.createdAt, 'createdAt');
  checkCounts(entry);
  return {
    sql: INSERT_LEDGER_SQL,
    params: [
      entry.tenantId, entry.id, entry.route, entry.provider, entry.model, entry.inputTokens, entry.outputTokens,
      entry.cachedInputTokens, entry.cacheWriteInputTokens, entry.reasoningTokens, entry.costNanoUsd, entry.cacheHit, entry.latencyMs,
      entry.firstTokenMs, entry.status, entry.streamed ? 1 : 0, entry.attempts, JSON.stringify(entry.tags),
      createdAt, entry.requestId, entry.traceId,
    ],
  };
}

/** The tenant's rows in [since, until), oldest first unless `order` is 'desc'. */
export function selectLedgerRows(sql: StatementCache, tenantId: string, options: ListLedgerOptions = {}): LedgerEntry[] {
  const { where, params } = rangeClause(tenantId, options);
  const direction = options.order === 'desc' ? 'DESC' : 'ASC';
  const limit = options.limit ?? -1; // SQLite: a negative LIMIT means no limit
  const rows = sql
    .get(`SELECT * FROM ledger WHERE ${where} ORDER BY created_at ${direction}, seq ${direction} LIMIT ?`)
    .all(...params, limit) as LedgerDbRow[];
  return rows.map(toEntry);
}

/** Sums over the tenant's rows in [since, until), read as 64-bit integers so nothing rounds. */
export function sumLedgerRows(sql: StatementCache, tenantId: string, range: LedgerRange = {}): LedgerTotals {
  const { where, params } = rangeClause(tenantId, range);
  const statement = sql.get(
    `SELECT count(*) AS requests, coalesce(sum(input_tokens), 0) AS inputTokens, coalesce(sum(output_tokens), 0) AS outputTokens,
       coalesce(sum(cached_input_tokens), 0) AS cachedInputTokens, coalesce(sum(cache_write_input_tokens), 0) AS cacheWriteInputTokens,
       coalesce(sum(reasoning_tokens), 0) AS reasoningTokens,
       coalesce(sum(cost_nano_usd), 0) AS costNanoUsd
     FROM ledger WHERE ${where}`,
  );
  const row = statement.safeIntegers(true).get(...params) as Record<keyof Omit<LedgerTotals, 'costUsd'>, bigint>;
  const costNanoUsd = exactNumber(row.costNanoUsd, 'costNanoUsd');
  return {
    requests: exactNumber(row.requests, 'requests'),
    inputTokens: exactNumber(row.inputTokens, 'inputTokens'),
    outputTokens: exactNumber(row.outputTokens, 'outputTokens'),
    cachedInputTokens: exactNumber(row.cachedInputTokens, 'cachedInputTokens'),
    cacheWriteInputTokens: exactNumber(row.cacheWriteInputTokens, 'cacheWriteInputTokens'),
    reasoningTokens: exactNumber(row.reasoningTokens, 'reasoningTokens'),
    costNanoUsd,
    costUsd: costNanoUsd / 1e9,
  };
}

function rangeClause(tenantId: string, range: LedgerRange): { where: string; params: string[] } {
  const conditions = ['tenant_id = ?'];
  const params = [tenantId];
  if (range.since !== undefined) {
    conditions.push('created_at >= ?');
    params.push(normaliseTime(range.since, 'since'));
  }
  if (range.until !== undefined) {
    conditions.push('created_at < ?');
    params.push(normaliseTime(range.until, 'until'));
  }
  return { where: conditions.join(' AND '), params };
}

function toEntry(row: LedgerDbRow): LedgerEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    route: row.route,
    provider: row.provider,
    model: row.model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteInputTokens: row.cache_write_input_tokens,
    reasoningTokens: row.reasoning_tokens,
    costNanoUsd: row.cost_nano_usd,
    cacheHit: row.cache_hit,
    latencyMs: row.latency_ms,
    firstTokenMs: row.first_token_ms,
    status: row.status,
    streamed: row.streamed === 1,
    attempts: row.attempts,
    tags: parseJsonColumn<string[]>(row.tags, 'ledger tags'),
    createdAt: row.created_at,
    requestId: row.request_id,
    traceId: row.trace_id,
  };
}

/** ISO strings compare correctly as text only in one format, so every time is rewritten to it. */
function normaliseTime(value: string, field: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new PlumbError('bad_request', `Ledger ${field} "${value}" is not a date and time.`, {
      hint: 'Use ISO-8601, e.g. 2026-01-31T12:00:00.000Z.',
    });
  }
  return time.toISOString();
}

/** The ledger's integer columns; checked on every booking without building an object for it. */
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteInputTokens', 'reasoningTokens', 'costNanoUsd', 'attempts'] as const satisfies ReadonlyArray<keyof LedgerEntry>;

function checkCounts(entry: LedgerEntry): void {
  for (const field of COUNT_FIELDS) {
    const value = entry[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new PlumbError('bad_request', `Ledger entry ${entry.id}: ${field} must be a non-negative integer, got ${value}.`, {
        hint: 'Costs are integer nano-dollars: round once when booking (see ledgerCost in src/gateway/ledger).',
      });
    }
  }
  if (!CACHE_HITS.has(entry.cacheHit)) {
    throw new PlumbError('bad_request', `Ledger entry ${entry.id}: cacheHit must be none, exact or semantic, got "${entry.cacheHit}".`);
  }
}

/** A SUM beyond 2^53 would silently round as a JS number; refuse instead of misreporting. */
function exactNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PlumbError('internal', `The ledger total ${field} (${value}) is too large to report exactly.`, {
      hint: 'Ask for a shorter range (since / until).',
    });
  }
  return Number(value);
}
