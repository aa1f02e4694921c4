/** API keys: only the sha256 of each secret is stored. */
import type { ApiKeyRecord } from '../../core/store.ts';
import type { StatementCache } from './statement-cache.ts';

interface ApiKeyRow {
  tenant_id: string;
  id: string;
  name: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    keyHash: row.key_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Inserts a key; a duplicate hash or id fails with a UNIQUE/PRIMARY KEY constraint error. */
export function insertApiKeyRow(sql: StatementCache, record: ApiKeyRecord): void {
  sql
    .get('INSERT INTO api_keys (tenant_id, id, name, key_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(record.tenantId, record.id, record.name, record.keyHash, record.createdAt, record.revokedAt);
}

/** The key with this hash in any tenant: the one lookup without a tenant, because it finds the tenant. */
export function selectApiKeyByHash(sql: StatementCache, keyHash: string): ApiKeyRecord | null {
  const row = sql.get('SELECT * FROM api_keys WHERE key_hash = ?').get(keyHash) as ApiKeyRow | undefined;
  return row ? toApiKeyRecord(row) : null;
}

/** The tenant's keys, oldest first. */
export function selectApiKeys(sql: StatementCache, tenantId: string): ApiKeyRecord[] {
  const rows = sql.get('SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id').all(tenantId) as ApiKeyRow[];
  return rows.map(toApiKeyRecord);
}

/** Revokes a key (keeping the first revocation time); false when the tenant has no such key. */
export function revokeApiKeyRow(sql: StatementCache, tenantId: string, keyId: string): boolean {
  const result = sql
    .get('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?')
    .run(new Date().toISOString(), tenantId, keyId);
  return result.changes > 0;
}
