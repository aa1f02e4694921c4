/** The tenants every other row belongs to. */
import type { StatementCache } from './statement-cache.ts';

/** Creates the tenant row when it is missing; a no-op otherwise. */
export function ensureTenantRow(sql: StatementCache, tenantId: string): void {
  sql.get('INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(tenantId, new Date().toISOString());
}

/** Every tenant id, sorted. */
export function listTenantIds(sql: StatementCache): string[] {
  return sql.get('SELECT id FROM tenants ORDER BY id').pluck().all() as string[];
}
