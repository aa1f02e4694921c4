/**
 * Group commit on a writer thread: ledger rows and traces queued within `delayMs` go to a worker
 * (row-writer-worker.js) that commits them in one transaction on its own connection to the same
 * file. The request path only builds the rows and posts them; the commit, its WAL writes and the
 * occasional checkpoint (an fsync) run beside it instead of stalling the event loop (they were
 * ~11% of the gateway's request path, bench/gateway-overhead).
 *
 * Each write's promise settles when its row is committed or has failed; one bad row fails alone
 * (the worker retries a failed batch write by write). The worker is started on the first write and
 * holds the process open only while writes are queued or in flight, so a CLI command still exits
 * when its work is done and never before its rows are stored.
 */
import { Worker } from 'node:worker_threads';
import { PlumbError } from '../../core/errors.ts';
import { closedBeforeCommit, CommitWindow, type RowQueue } from './row-queue.ts';
import { INSERT_TENANT_SQL, type SqlOp } from './sql-op.ts';
import { toStoreError } from './sqlite-errors.ts';

interface QueuedWrite {
  tenant: string;
  ops: SqlOp[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Failure {
  index: number;
  code: string;
  message: string;
}

type WorkerMessage = { type: 'done'; id: number; failures: Failure[] } | { type: 'closed' };

const WORKER_URL = new URL('./row-writer-worker.js', import.meta.url);

export interface RowWriterThreadOptions {
  /** The store's file, already migrated. */
  path: string;
  /** How long writes may wait to be committed together (ms); 0: once per event-loop turn. */
  delayMs: number;
  busyTimeoutMs: number;
}

export class RowWriterThread implements RowQueue {
  readonly #options: RowWriterThreadOptions;
  #worker: Worker | undefined;
  #queue: QueuedWrite[] = [];
  readonly #window: CommitWindow;
  /** Posted batches by id, waiting for the worker's answer. */
  readonly #inFlight = new Map<number, QueuedWrite[]>();
  #nextId = 1;
  #commits = 0;
  /** Set when the worker died: every later write fails with it. */
  #broken: PlumbError | undefined;
  #closed = false;
  /** Resolvers of flush() calls, each waiting for the batch that was last when it was called. */
  readonly #waiters = new Map<number, Array<() => void>>();

  constructor(options: RowWriterThreadOptions) {
    this.#options = options;
    this.#window = new CommitWindow(options.delayMs, () => this.#post());
  }

  get pending(): number {
    let inFlight = 0;
    for (const batch of this.#inFlight.values()) inFlight += batch.length;
    return this.#queue.length + inFlight;
  }

  get commits(): number {
    return this.#commits;
  }

  enqueue(tenantId: string, ops: SqlOp[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#broken) return reject(this.#broken);
      if (this.#closed) return reject(closedBeforeCommit());
      this.#queue.push({ tenant: tenantId, ops, resolve, reject });
      this.#window.arm();
    });
  }

  async flush(): Promise<void> {
    this.#post();
    const last = this.#nextId - 1;
    if (!this.#inFlight.has(last)) return;
    await new Promise<void>((resolve) => {
      const waiting = this.#waiters.get(last) ?? [];
      waiting.push(resolve);
      this.#waiters.set(last, waiting);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (!worker) return;
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' });
    });
  }

  /** Sends what is queued to the worker as one batch. */
  #post(): void {
    this.#window.disarm();
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    if (this.#broken) {
      for (const write of batch) write.reject(this.#broken);
      return;
    }
    const worker = this.#started();
    const id = this.#nextId++;
    this.#inFlight.set(id, batch);
    // Held open while a batch is in flight, so its promises settle before the process may exit.
    worker.ref();
    worker.postMessage({ type: 'batch', id, writes: batch.map((write) => ({ tenant: write.tenant, ops: write.ops })) });
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, { workerData: { path: this.#options.path, busyTimeoutMs: this.#options.busyTimeoutMs, insertTenantSql: INSERT_TENANT_SQL } });
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') this.#settle(message.id, message.failures);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new Error(`the writer thread exited (code ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  #settle(id: number, failures: Failure[]): void {
    const batch = this.#inFlight.get(id);
    this.#inFlight.delete(id);
    if (!batch) return;
    if (failures.length < batch.length) this.#commits++;
    const failed = new Map(failures.map((failure) => [failure.index, failure]));
    batch.forEach((write, index) => {
      const failure = failed.get(index);
      if (failure) write.reject(toStoreError(Object.assign(new Error(failure.message), { code: failure.code })));
      else write.resolve();
    });
    this.#wake(id);
    if (this.#inFlight.size === 0) this.#worker?.unref();
  }

  /** The worker is gone (it could not open the file, or crashed): fail what it held and all later writes. */
  #fail(error: Error): void {
    this.#broken ??= new PlumbError('unavailable', `The SQLite writer thread stopped: ${error.message}`, {
      hint: 'Check that the database file is writable, then restart plumb.',
      cause: error,
      retryable: false,
    });
    for (const [id, batch] of this.#inFlight) {
      for (const write of batch) write.reject(this.#broken);
      this.#wake(id);
    }
    this.#inFlight.clear();
    this.#worker = undefined;
  }

  #wake(id: number): void {
    for (const [waitingFor, resolvers] of this.#waiters) {
      if (waitingFor > id) continue;
      for (const resolve of resolvers) resolve();
      this.#waiters.delete(waitingFor);
    }
  }
}
