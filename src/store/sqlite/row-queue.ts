/**
 * Where the small rows every request writes (ledger entries, traces) wait to be committed in
 * groups: in this thread (group-commit.ts, for ':memory:' databases) or on a writer thread with its
 * own connection (row-writer-thread.ts), so commits and WAL checkpoints never block the event loop.
 */
import { PlumbError } from '../../core/errors.ts';
import type { SqlOp } from './sql-op.ts';

export interface RowQueue {
  /** Writes queued or being committed. */
  readonly pending: number;
  /** Group transactions committed so far. */
  readonly commits: number;
  /** Queues one write (its ops run in order, in one transaction with others); resolves once committed. */
  enqueue(tenantId: string, ops: SqlOp[]): Promise<void>;
  /** Resolves once every write queued before the call is committed (or has failed). */
  flush(): Promise<void>;
  /** Commits what is queued, then lets go of any thread or timer. */
  close(): Promise<void>;
}

/**
 * The commit window both queues share: `arm()` schedules `fire` after `delayMs` (or, at 0, at the
 * end of this event-loop turn) unless it is already armed; `disarm()` cancels it. Not unref'd: a
 * process must not exit with rows queued (and their promises pending); it stays at most `delayMs`.
 */
export class CommitWindow {
  readonly #delayMs: number;
  readonly #fire: () => void;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(delayMs: number, fire: () => void) {
    this.#delayMs = delayMs;
    this.#fire = fire;
  }

  arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#delayMs <= 0 ? setImmediate(this.#fire) : setTimeout(this.#fire, this.#delayMs);
  }

  disarm(): void {
    if (this.#timer === undefined) return;
    if (this.#delayMs <= 0) clearImmediate(this.#timer as NodeJS.Immediate);
    else clearTimeout(this.#timer as NodeJS.Timeout);
    this.#timer = undefined;
  }
}

/** What a write queued on a store that closed before committing it fails with. */
export function closedBeforeCommit(): PlumbError {
  return new PlumbError('unavailable', 'The SQLite store was closed before this write was committed.', {
    hint: 'Close the store only after the writes you started have settled (SqliteStore.close() flushes them).',
    retryable: false,
  });
}
