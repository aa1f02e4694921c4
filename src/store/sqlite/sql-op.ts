/**
 * One SQL statement with its parameters, as plain data: the queued ledger and trace writes are
 * built as ops on the calling thread (where they are checked) and run either there or on the
 * writer thread (row-writer-thread.ts), which can only receive what structured clone copies.
 */
import type { StatementCache } from './statement-cache.ts';

export type SqlParam = string | number | bigint | null;

export interface SqlOp {
  sql: string;
  params: SqlParam[];
}

/** The statement that creates a tenant's row when it is missing. */
export const INSERT_TENANT_SQL = 'INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING';

/** Runs the ops in order on this connection. */
export function runOps(sql: StatementCache, ops: readonly SqlOp[]): void {
  for (const op of ops) sql.get(op.sql).run(...op.params);
}
