/**
 * Where the small rows every request writes (ledger entries, traces) wait to be committed in
 * groups: in this thread (group-commit.ts, for ':memory:' databases) or on a writer thread with its
 * own connection (row-writer-thread.ts), so commits and WAL checkpoints never block the event loop.
 */
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
