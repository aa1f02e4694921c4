/**
 * Group commit for the small rows every request writes (ledger entries, traces): writes queued
 * within `delayMs` (or, at 0, within one turn of the event loop) are committed together in one
 * transaction instead of one BEGIN/COMMIT each. A commit writes every B-tree page it touched to the
 * WAL, so ten rows in one commit cost little more than one; under load that is most of the cost of
 * booking a request.
 *
 * Each write's promise settles when its row is committed (or has failed), so a caller that awaits
 * it keeps "my row is stored" as before. One bad row must not take the rest of its batch down: when
 * the batch transaction fails, every write is retried in its own transaction and only the ones that
 * fail again are rejected. The owner calls `flush()` before any other statement, so reads see every
 * write queued before them and writes keep their order.
 */
import type Database from 'better-sqlite3';
import { closedBeforeCommit, CommitWindow, type RowQueue } from './row-queue.ts';
import { runOps, type SqlOp } from './sql-op.ts';
import { toStoreError } from './sqlite-errors.ts';
import type { StatementCache } from './statement-cache.ts';

interface QueuedWrite {
  /** The write's statements; run inside a transaction. */
  ops: SqlOp[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The in-process queue: commits on the caller's own connection (used for ':memory:' databases). */
export class GroupCommit implements RowQueue {
  readonly #db: Database.Database;
  readonly #sql: StatementCache;
  /** Runs before each batch, outside its transaction (e.g. creating tenant rows once). */
  readonly #beforeBatch: (tenantIds: ReadonlySet<string>) => void;
  #queue: QueuedWrite[] = [];
  #tenants = new Set<string>();
  readonly #window: CommitWindow;
  #commits = 0;

  constructor(db: Database.Database, sql: StatementCache, beforeBatch: (tenantIds: ReadonlySet<string>) => void, delayMs = 0) {
    this.#db = db;
    this.#sql = sql;
    this.#beforeBatch = beforeBatch;
    this.#window = new CommitWindow(delayMs, () => this.flushNow());
  }

  /** Writes waiting for the next commit. */
  get pending(): number {
    return this.#queue.length;
  }

  get commits(): number {
    return this.#commits;
  }

  /** Queues `ops` for the next group commit; resolves once they are committed. */
  enqueue(tenantId: string, ops: SqlOp[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ ops, resolve, reject });
      this.#tenants.add(tenantId);
      this.#window.arm();
    });
  }

  /** Commits every queued write now. */
  async flush(): Promise<void> {
    this.flushNow();
  }

  async close(): Promise<void> {
    this.flushNow();
  }

  /** Commits every queued write now, synchronously. */
  flushNow(): void {
    this.#window.disarm();
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    const tenants = this.#tenants;
    this.#queue = [];
    this.#tenants = new Set();
    if (!this.#db.open) {
      const closed = closedBeforeCommit();
      for (const queued of batch) queued.reject(closed);
      return;
    }
    try {
      this.#beforeBatch(tenants);
      this.#db
        .transaction(() => {
          for (const queued of batch) runOps(this.#sql, queued.ops);
        })
        .immediate();
      this.#commits++;
    } catch {
      this.#oneByOne(batch);
      return;
    }
    for (const queued of batch) queued.resolve();
  }

  /** After a failed batch: each write in its own transaction, so only the bad ones are lost. */
  #oneByOne(batch: QueuedWrite[]): void {
    for (const queued of batch) {
      try {
        this.#db.transaction(() => runOps(this.#sql, queued.ops)).immediate();
        queued.resolve();
      } catch (error) {
        queued.reject(toStoreError(error));
      }
    }
  }
}
