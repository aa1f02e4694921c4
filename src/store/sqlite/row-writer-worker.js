// The writer thread of row-writer-thread.ts: its own connection to the store's file, on which it
// commits each batch of ledger and trace writes in one transaction. Plain JavaScript because a
// worker does not inherit the TypeScript loader the CLI registers in the main thread.
//
// Messages in:  { type: 'batch', id, writes: Array<{ tenant, ops: Array<{ sql, params }> }> }
//               { type: 'close' }
// Messages out: { type: 'done', id, failures: Array<{ index, code, message }> }
//               { type: 'closed' }
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

// The statement that creates a missing tenant row (sql-op.ts), handed over rather than copied.
const INSERT_TENANT_SQL = workerData.insertTenantSql;

const db = new Database(workerData.path);
// The same settings as connection.ts (the schema is already migrated by the main connection).
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
db.pragma('synchronous = NORMAL');

const statements = new Map();
function statement(sql) {
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}
/** Tenants whose row is known to be committed (tenant rows are never deleted). */
const knownTenants = new Set();

/** Runs one write: its tenant's row when it may be missing, then its statements. */
function run(write, now) {
  if (!knownTenants.has(write.tenant)) statement(INSERT_TENANT_SQL).run(write.tenant, now);
  for (const op of write.ops) statement(op.sql).run(...op.params);
}

function remember(writes) {
  for (const write of writes) knownTenants.add(write.tenant);
}

function failureOf(index, error) {
  return { index, code: typeof error?.code === 'string' ? error.code : 'SQLITE_ERROR', message: error instanceof Error ? error.message : String(error) };
}

/** One transaction for the batch; when it fails, each write alone, so only bad writes are lost. */
function commit(writes) {
  const now = new Date().toISOString();
  try {
    db.transaction(() => {
      for (const write of writes) run(write, now);
    }).immediate();
    remember(writes);
    return [];
  } catch {
    const failures = [];
    writes.forEach((write, index) => {
      try {
        db.transaction(() => run(write, now)).immediate();
        remember([write]);
      } catch (error) {
        failures.push(failureOf(index, error));
      }
    });
    return failures;
  }
}

parentPort.on('message', (message) => {
  if (message.type === 'batch') {
    parentPort.postMessage({ type: 'done', id: message.id, failures: commit(message.writes) });
  } else if (message.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
  }
});
