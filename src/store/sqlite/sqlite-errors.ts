/** Translates SQLite failures into PlumbErrors that tell the caller what to do. */
import { PlumbError, toPlumbError } from '../../core/errors.ts';

function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** The PlumbError for anything thrown while running a store operation. */
export function toStoreError(err: unknown): PlumbError {
  if (err instanceof PlumbError) return err;
  const code = sqliteCode(err) ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new PlumbError('unavailable', `The SQLite database is locked by another writer: ${message}`, {
      hint: 'Retry shortly; if it persists, another process holds a long transaction on the same file.',
      cause: err,
    });
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new PlumbError('conflict', `A row with the same key already exists: ${message}`, {
      hint: 'Use a new id (or key), or update the existing row instead of inserting it again.',
      cause: err,
    });
  }
  if (code === 'SQLITE_FULL') {
    return new PlumbError('unavailable', 'The disk holding the SQLite database is full.', {
      hint: 'Free disk space, then retry the write.',
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new PlumbError('unavailable', `The SQLite database is read-only: ${message}`, {
      hint: 'Make the database file and its folder writable by this process.',
      cause: err,
      retryable: false,
    });
  }
  return toPlumbError(err);
}

/** Rejects a missing tenant id: no store query runs without one. */
export function assertTenantId(tenantId: string): void {
  if (typeof tenantId === 'string' && tenantId.length > 0) return;
  throw new PlumbError('bad_request', 'A store call was made without a tenant id.', {
    hint: 'Pass the tenant of the request (the default tenant is "default").',
  });
}
