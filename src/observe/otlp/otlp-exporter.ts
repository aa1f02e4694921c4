/**
 * Sends finished traces to an OpenTelemetry collector (OTLP over HTTP, JSON encoding), beside
 * the store: a second sink next to the TraceWriter. Nothing on the request path waits for it. The
 * sink only queues; every `delayMs` one batch goes out, one request at a time. A collector that
 * is down or slow costs memory up to `maxQueueSpans` and then drops (counted, warned once a
 * minute), never blocks or fails a request. 429/502/503/504 and network errors are retried with
 * backoff (honouring Retry-After, as the OTLP spec asks); other refusals drop their batch.
 * Header values (collector API keys) are never printed.
 */
import type { TraceRecord } from '../../core/trace.ts';
import type { TraceSink } from '../tracer.ts';
import { otlpTraceRequest, type OtlpResource } from './otlp-json.ts';

/** A collector's answer: its status, body, and the wait a Retry-After header asked for. */
export interface OtlpHttpResponse {
  status: number;
  text: string;
  retryAfterMs?: number;
}

/**
 * Sends one request; throws on network failure or timeout. Passed in (app wiring gives it the
 * providers' keep-alive transport) so that `observe` imports nothing but `core`.
 */
export type OtlpPost = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<OtlpHttpResponse>;

export interface OtlpExporterOptions {
  /** The collector's traces URL, e.g. http://127.0.0.1:4318/v1/traces. */
  url: string;
  post: OtlpPost;
  /** Sent with every export (e.g. a vendor's API key header). */
  headers: Record<string, string>;
  resource: OtlpResource;
  /** How long a finished trace may wait to be batched with others (ms). */
  delayMs: number;
  /** Per export request (ms). */
  timeoutMs: number;
  /** Spans held while the collector is slow or down; beyond this, new traces are dropped. */
  maxQueueSpans: number;
  /** Spans per export request. */
  maxBatchSpans: number;
  /** Retries of a batch the collector could not take for now (429, 502–504, network errors). */
  maxRetries: number;
  /** Where warnings go (tests capture them). */
  warn?: (message: string) => void;
}

export interface OtlpExportStats {
  url: string;
  exportedSpans: number;
  /** Spans never sent: queue full, refused by the collector, out of retries, or left at close. */
  droppedSpans: number;
  failedRequests: number;
  /** Spans waiting: queued, or in a batch being sent or retried. */
  queuedSpans: number;
  lastError: string | null;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const WARN_EVERY_MS = 60_000;
/** Longest wait between retries, whatever Retry-After says: a trace later than this is stale anyway. */
const MAX_BACKOFF_MS = 30_000;

export class OtlpTraceExporter {
  readonly #options: OtlpExporterOptions;
  /** The collector's URL without credentials or query, for messages and stats. */
  readonly #where: string;
  readonly #warn: (message: string) => void;
  #queue: TraceRecord[] = [];
  /** Spans queued or in a batch not yet sent, refused or dropped: what `maxQueueSpans` bounds. */
  #pendingSpans = 0;
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();
  #closing = false;
  /** Set when an export fails during close(): the batches after it are dropped, not tried. */
  #unreachableAtClose = false;
  /** Ends the current retry wait early (set while one runs). */
  #wake: (() => void) | undefined;
  #lastWarnAt = Number.NEGATIVE_INFINITY;
  readonly #stats = { exportedSpans: 0, droppedSpans: 0, failedRequests: 0, lastError: null as string | null };

  constructor(options: OtlpExporterOptions) {
    this.#options = options;
    this.#where = withoutSecrets(options.url);
    this.#warn = options.warn ?? ((message) => process.stderr.write(`plumb: ${message}\n`));
  }

  /** The sink to hand next to the store's: queues and returns at once. */
  readonly sink: TraceSink = (trace) => {
    if (this.#closing) return;
    const spans = trace.spans.length;
    if (this.#pendingSpans + spans > this.#options.maxQueueSpans) {
      this.#drop(spans, `the trace export queue is full (${this.#options.maxQueueSpans} spans): is the collector at ${this.#where} up?`);
      return;
    }
    this.#queue.push(trace);
    this.#pendingSpans += spans;
    // Unref'd: exporting never keeps a finished CLI command alive; close() sends what is left.
    this.#timer ??= setTimeout(() => void this.flush(), this.#options.delayMs).unref();
  };

  stats(): OtlpExportStats {
    return { url: this.#where, ...this.#stats, queuedSpans: this.#pendingSpans };
  }

  /** Sends everything queued; resolves when it was sent, refused or dropped. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const batch = this.#takeBatch();
      this.#sending = this.#sending.then(() => this.#send(batch));
    }
    return this.#sending;
  }

  /** Sends what is queued, each batch tried once more at most, and stops taking traces. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake?.();
    await this.flush();
  }

  /** Waits before a retry; close() cuts the wait short. */
  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = undefined;
    });
  }

  #takeBatch(): TraceRecord[] {
    let count = 0;
    let spans = 0;
    for (const trace of this.#queue) {
      // A trace is never split; one larger than a batch goes alone.
      if (count > 0 && spans + trace.spans.length > this.#options.maxBatchSpans) break;
      count += 1;
      spans += trace.spans.length;
    }
    return this.#queue.splice(0, count);
  }

  async #send(batch: TraceRecord[]): Promise<void> {
    const spans = batch.reduce((n, trace) => n + trace.spans.length, 0);
    try {
      await this.#deliver(batch, spans);
    } finally {
      this.#pendingSpans -= spans;
    }
  }

  async #deliver(batch: TraceRecord[], spans: number): Promise<void> {
    if (this.#unreachableAtClose) {
      // Shutting down and the collector already failed once: do not wait a timeout per batch.
      this.#drop(spans, `not exporting ${spans} spans at shutdown: the collector at ${this.#where} did not take the previous batch`);
      return;
    }
    const body = JSON.stringify(otlpTraceRequest(batch, this.#options.resource));
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#post(body);
      if (outcome.ok) {
        this.#stats.exportedSpans += spans - outcome.rejectedSpans;
        if (outcome.rejectedSpans > 0) this.#drop(outcome.rejectedSpans, `the collector at ${this.#where} rejected ${outcome.rejectedSpans} spans: ${outcome.message}`);
        return;
      }
      this.#stats.failedRequests++;
      this.#stats.lastError = outcome.message;
      if (this.#closing) this.#unreachableAtClose = true;
      // Closing: one try only, so shutting down never waits out a backoff.
      if (!outcome.retryable || attempt >= this.#options.maxRetries || this.#closing) {
        this.#drop(spans, `could not export ${spans} spans to ${this.#where}: ${outcome.message}`);
        return;
      }
      await this.#pause(outcome.retryAfterMs ?? backoffMs(attempt));
    }
  }

  async #post(body: string): Promise<{ ok: true; rejectedSpans: number; message: string } | { ok: false; retryable: boolean; retryAfterMs?: number; message: string }> {
    let response: OtlpHttpResponse;
    try {
      response = await this.#options.post(this.#options.url, { 'content-type': 'application/json', ...this.#options.headers }, body, this.#options.timeoutMs);
    } catch (error) {
      return { ok: false, retryable: true, message: (error as Error).message };
    }
    if (response.status >= 200 && response.status < 300) return { ok: true, ...partialSuccess(response.text) };
    return {
      ok: false,
      retryable: RETRYABLE_STATUS.has(response.status),
      ...(response.retryAfterMs !== undefined ? { retryAfterMs: Math.min(MAX_BACKOFF_MS, response.retryAfterMs) } : {}),
      message: `HTTP ${response.status}${response.text ? `: ${response.text.slice(0, 200)}` : ''}`,
    };
  }

  #drop(spans: number, why: string): void {
    this.#stats.droppedSpans += spans;
    const now = Date.now();
    if (now - this.#lastWarnAt < WARN_EVERY_MS) return;
    this.#lastWarnAt = now;
    this.#warn(`${why} (${this.#stats.droppedSpans} spans dropped so far; traces are still stored locally)`);
  }
}

/** A URL without credentials or query, for messages: a collector's URL may carry a token. */
function withoutSecrets(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** A 2xx answer may still refuse some spans (OTLP partial success). */
function partialSuccess(text: string): { rejectedSpans: number; message: string } {
  try {
    const parsed = JSON.parse(text) as { partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string } };
    const rejected = Number(parsed.partialSuccess?.rejectedSpans ?? 0);
    return { rejectedSpans: Number.isFinite(rejected) && rejected > 0 ? rejected : 0, message: parsed.partialSuccess?.errorMessage ?? '' };
  } catch {
    return { rejectedSpans: 0, message: '' }; // an empty or non-JSON 2xx body is a full success
  }
}

/** 1 s, 2 s, 4 s … with ±20% jitter, capped. */
function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.8 + 0.4 * Math.random());
}
