/** The tenants every other row belongs to. */
import { INSERT_TENANT_SQL } from './sql-op.ts';
import type { StatementCache } from './statement-cache.ts';

/**
 * Tenants whose row this connection has seen committed. Tenant rows are never deleted, so once a
 * row is known the insert can be skipped: it is a statement on every request's ledger and trace
 * write otherwise. A row created inside a transaction is not remembered, since it may roll back.
 */
const committedTenants = new WeakMap<StatementCache, Set<string>>();

/** Creates the tenant row when it is missing; a no-op otherwise. */
export function ensureTenantRow(sql: StatementCache, tenantId: string): void {
  let known = committedTenants.get(sql);
  if (known?.has(tenantId)) return;
  sql.get(INSERT_TENANT_SQL).run(tenantId, new Date().toISOString());
  if (sql.inTransaction) return;
  if (!known) committedTenants.set(sql, (known = new Set()));
  known.add(tenantId);
}

/** Every tenant id, sorted. */
export function listTenantIds(sql: StatementCache): string[] {
  return sql.get('SELECT id FROM tenants ORDER BY id').pluck().all() as string[];
}
