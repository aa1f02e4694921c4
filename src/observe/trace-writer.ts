/**
 * Writes finished traces off the request path: the sink only queues a trace, and the queue goes
 * to the store once the current turn of the event loop is done (setImmediate), so a request no
 * longer waits for its trace row. Readers call `flush()` first, so a trace id handed out with an
 * answer can always be read back; `close()` writes what is left before the store closes.
 */
import type { TraceRecord } from '../core/trace.ts';
import type { TraceSink } from './tracer.ts';

export class TraceWriter {
  readonly #save: (trace: TraceRecord) => Promise<void>;
  #queue: TraceRecord[] = [];
  #scheduled = false;
  /** The write in progress, so a flush waits for traces already taken from the queue. */
  #writing: Promise<void> = Promise.resolve();

  constructor(save: (trace: TraceRecord) => Promise<void>) {
    this.#save = save;
  }

  /** The sink to hand to `trace()`: queues and returns at once. */
  readonly sink: TraceSink = (trace) => {
    this.#queue.push(trace);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => void this.flush());
    }
  };

  /** Writes every queued trace; resolves when they (and earlier writes) are stored. */
  flush(): Promise<void> {
    this.#scheduled = false;
    if (this.#queue.length === 0) return this.#writing;
    const batch = this.#queue;
    this.#queue = [];
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  async #write(batch: TraceRecord[]): Promise<void> {
    for (const trace of batch) {
      try {
        await this.#save(trace);
      } catch (error) {
        process.stderr.write(`plumb: could not store trace ${trace.traceId}: ${(error as Error).message}\n`);
      }
    }
  }
}
