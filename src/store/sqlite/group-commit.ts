/**
 * Group commit for the small rows every request writes (ledger entries, traces): writes queued in
 * one turn of the event loop are committed together in one transaction when the turn ends
 * (setImmediate), instead of one BEGIN/COMMIT per row. Under load that turns dozens of commits into
 * one; alone, a request still gets its own commit, one tick later.
 *
 * Each write's promise settles when its row is committed (or has failed), so a caller that awaits
 * it keeps "my row is stored" as before. One bad row must not take the rest of its batch down: when
 * the batch transaction fails, every write is retried in its own transaction and only the ones that
 * fail again are rejected. The owner calls `flush()` before any other statement, so reads see every
 * write queued before them and writes keep their order.
 */
import type Database from 'better-sqlite3';
import { PlumbError } from '../../core/errors.ts';
import { toStoreError } from './sqlite-errors.ts';

interface QueuedWrite {
  /** Runs the write's statements; called inside a transaction. */
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  readonly #db: Database.Database;
  /** Runs before each batch, outside its transaction (e.g. creating tenant rows once). */
  readonly #beforeBatch: (tenantIds: ReadonlySet<string>) => void;
  #queue: QueuedWrite[] = [];
  #tenants = new Set<string>();
  #scheduled = false;

  constructor(db: Database.Database, beforeBatch: (tenantIds: ReadonlySet<string>) => void) {
    this.#db = db;
    this.#beforeBatch = beforeBatch;
  }

  /** Writes waiting for the next commit. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Queues `write` for the next group commit; resolves once it is committed. */
  enqueue(tenantId: string, write: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      this.#tenants.add(tenantId);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued write now (synchronously). */
  flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    const tenants = this.#tenants;
    this.#queue = [];
    this.#tenants = new Set();
    if (!this.#db.open) {
      const closed = new PlumbError('unavailable', 'The SQLite store was closed before this write was committed.', {
        hint: 'Close the store only after the writes you started have settled (SqliteStore.close() flushes them).',
        retryable: false,
      });
      for (const queued of batch) queued.reject(closed);
      return;
    }
    try {
      this.#beforeBatch(tenants);
      this.#db
        .transaction(() => {
          for (const queued of batch) queued.write();
        })
        .immediate();
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
        this.#db.transaction(queued.write).immediate();
        queued.resolve();
      } catch (error) {
        queued.reject(toStoreError(error));
      }
    }
  }
}
