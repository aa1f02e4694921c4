/**
 * Write counters per (tenant, writer). Each SqliteStore instance is one writer; a server's
 * in-memory index learns that another process (say `plumb ingest`) changed its tenant when the
 * sum of the *other* writers' counters moves.
 */
import type { StatementCache } from './statement-cache.ts';

/** Counts one write by `writerId` to the tenant; call inside the write's transaction. */
export function bumpTenantWrites(sql: StatementCache, tenantId: string, writerId: string): void {
  sql
    .get(
      `INSERT INTO tenant_writes (tenant_id, writer_id, revision, updated_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (tenant_id, writer_id) DO UPDATE SET revision = revision + 1, updated_at = excluded.updated_at`,
    )
    .run(tenantId, writerId, new Date().toISOString());
}

/** The sum of every other writer's counter for the tenant. */
export function otherWritersRevision(sql: StatementCache, tenantId: string, writerId: string): number {
  return sql.get('SELECT coalesce(sum(revision), 0) FROM tenant_writes WHERE tenant_id = ? AND writer_id <> ?').pluck().get(tenantId, writerId) as number;
}
