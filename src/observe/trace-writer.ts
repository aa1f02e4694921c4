/**
 * Writes finished traces off the request path: the sink only queues a trace, and the queue goes
 * to the store a few milliseconds later (`delayMs`), all of it at once, so a store that commits in
 * groups (SQLite) stores many requests' traces in one transaction instead of one each. A request
 * never waits for its trace row. Readers call `flush()` first, so a trace id handed out with an
 * answer can always be read back; `close()` writes what is left before the store closes.
 */
import type { TraceRecord } from '../core/trace.ts';
import type { TraceSink } from './tracer.ts';

export interface TraceWriterOptions {
  /** How long a finished trace may wait to be batched with others. Default 10 ms. */
  delayMs?: number;
}

export class TraceWriter {
  readonly #save: (trace: TraceRecord) => Promise<void>;
  readonly #delayMs: number;
  #queue: TraceRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The write in progress, so a flush waits for traces already taken from the queue. */
  #writing: Promise<void> = Promise.resolve();

  constructor(save: (trace: TraceRecord) => Promise<void>, options: TraceWriterOptions = {}) {
    this.#save = save;
    this.#delayMs = options.delayMs ?? 10;
  }

  /** The sink to hand to `trace()`: queues and returns at once. */
  readonly sink: TraceSink = (trace) => {
    this.#queue.push(trace);
    if (this.#timer === undefined) {
      // Not unref'd: a process that ends without close() still writes its traces, at most
      // `delayMs` later than it would have ended.
      this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
    }
  };

  /** Writes every queued trace; resolves when they (and earlier writes) are stored. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#queue.length === 0) return this.#writing;
    const batch = this.#queue;
    this.#queue = [];
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  async #write(batch: TraceRecord[]): Promise<void> {
    // Handed over together (not one await each), so a group-committing store takes them in one go.
    await Promise.all(
      batch.map((trace) =>
        this.#save(trace).catch((error: unknown) => {
          process.stderr.write(`plumb: could not store trace ${trace.traceId}: ${(error as Error).message}\n`);
        }),
      ),
    );
  }
}
