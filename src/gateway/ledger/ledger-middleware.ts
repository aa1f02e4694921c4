/**
 * The cost ledger as middleware: books exactly one row per request, with its final outcome. Put
 * it outermost, so retries, fallbacks and cache hits inside it are one request (they report
 * themselves through `metadata`: provider, model, attempts, retries, cache, route). A ledger
 * layer nested inside another one passes requests through, so nothing is booked twice.
 *
 * Streams are booked when they end, however they end: with the usage of the `finish` event, or —
 * cut midway, failed, or dropped by the caller — with the tokens counted so far, since providers
 * bill what they generated.
 */
import { performance } from 'node:perf_hooks';
import { toPlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, ResponseMetadata } from '../../core/model.ts';
import type { LedgerCacheHit, LedgerEntry, Store } from '../../core/store.ts';
import { uuidV7 } from '../../observe/random-id.ts';
import type { ModelPrice, Usage } from '../../core/usage.ts';
import { currentSpan } from '../../observe/tracer.ts';
import type { ChatMiddleware } from '../middleware.ts';
import { estimatedUsage } from './estimated-usage.ts';
import type { InFlightCalls } from './in-flight-calls.ts';
import { callCostNanoUsd } from './ledger-cost.ts';

export interface LedgerMiddlewareOptions {
  /** Where rows go (the Store, or anything with its appendLedgerEntry). */
  store: Pick<Store, 'appendLedgerEntry'>;
  /**
   * The price of the model that answered. When it gives one, cost is computed here from usage
   * (cached input and reasoning at their own rates); otherwise the cost the provider reported is
   * booked, and a stream without a `finish` event is priced at the list price (0 if unknown).
   */
  priceOf?: (model: string, provider: string) => ModelPrice | undefined;
  /** Tenant of requests that name none. Default "default". */
  defaultTenant?: string;
  /** A row that could not be written (the answer has already gone out). Default: stderr. */
  onBookingError?: (error: unknown, entry: LedgerEntry) => void;
  /** Counts calls from start to booking, so that closing can wait for their rows. */
  inFlight?: InFlightCalls;
}

/** Marks a request as already inside a ledger layer; spread copies of the request keep it. */
const BOOKING = Symbol('plumb.ledger.booking');

type FinishEvent = Extract<ChatStreamEvent, { type: 'finish' }>;

/** How a request ended, as the ledger needs it. */
interface Outcome {
  status: string;
  usage: Usage;
  /** Cost reported by the layers below, used when no price is configured. */
  reportedUsd: number | undefined;
  provider: string;
  model: string;
  metadata: ResponseMetadata | undefined;
  /** Upstream calls reported by a failure (fallback details), when there was no response. */
  failedAttempts?: number;
}

/** A ChatMiddleware that books one cost-ledger row per request (put it outermost). */
export function ledgerMiddleware(options: LedgerMiddlewareOptions): ChatMiddleware {
  const defaultTenant = options.defaultTenant ?? 'default';
  const onBookingError = options.onBookingError ?? reportToStderr;

  return (next: ChatModel): ChatModel => {
    const book = (request: ChatRequest, started: Started, outcome: Outcome, streaming: { firstTokenMs: number | null } | null) => {
      const metadata = outcome.metadata ?? {};
      const provider = stringOr(metadata['provider'], outcome.provider);
      const model = stringOr(metadata['model'], outcome.model);
      const cacheHit = cacheHitOf(metadata['cache']);
      // A cache hit reached no provider: nothing was consumed and nothing is owed.
      const usage = cacheHit === 'none' ? outcome.usage : { inputTokens: 0, outputTokens: 0 };
      // Time-ordered either way (trace ids lead with the time too): consecutive rows land on the
      // same index page. A call that is its own trace is booked under the trace's id.
      const ownsTrace = request.ledgerTrace !== undefined && request.traceId !== undefined;
      const id = ownsTrace ? request.traceId! : uuidV7();
      const entry: LedgerEntry = {
        id,
        tenantId: request.tenantId ?? defaultTenant,
        route: stringOr(metadata['route'], request.model ?? next.modelId),
        provider,
        model,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cachedInputTokens: usage.cachedInputTokens ?? 0,
        cacheWriteInputTokens: usage.cacheWriteInputTokens ?? 0,
        reasoningTokens: usage.reasoningTokens ?? 0,
        costNanoUsd: cacheHit === 'none' ? callCostNanoUsd({ usage, provider, model, reportedUsd: outcome.reportedUsd }, options.priceOf) : 0,
        cacheHit,
        latencyMs: round3(performance.now() - started.at),
        firstTokenMs: streaming?.firstTokenMs ?? null,
        status: outcome.status,
        streamed: streaming !== null,
        attempts: attemptsOf(metadata, outcome.failedAttempts),
        tags: request.tags ?? [],
        createdAt: started.createdAt,
        requestId: stringOr(metadata['requestId'], id),
        traceId: started.traceId,
      };
      // The row is handed to the store now but the answer does not wait for its commit: stores
      // commit rows in groups (a few ms), every read of the ledger sees queued rows, and closing
      // the store writes them. A row that cannot be stored is reported, never silently lost.
      options.store.appendLedgerEntry(entry).catch((error: unknown) => onBookingError(error, entry));
      if (ownsTrace) request.ledgerTrace!.booked = true;
    };


    const failure = (request: ChatRequest, error: unknown, usage: Usage): Outcome => {
      const plumbError = toPlumbError(error);
      const details = plumbError.details ?? {};
      return {
        status: request.signal?.aborted ? 'cancelled' : plumbError.code,
        usage,
        reportedUsd: undefined,
        provider: stringOr(details['provider'], next.provider),
        model: request.model ?? next.modelId,
        metadata: undefined,
        ...(Array.isArray(details['attempts']) ? { failedAttempts: details['attempts'].length } : {}),
      };
    };

    return {
      specificationVersion: 'v1',
      provider: next.provider,
      modelId: next.modelId,

      async generate(request: ChatRequest): Promise<ChatResponse> {
        if (isBooking(request)) return next.generate(request);
        const started = start(request);
        const booked = options.inFlight?.start();
        let response: ChatResponse;
        try {
          response = await next.generate(markBooking(request));
        } catch (error) {
          try {
            book(request, started, failure(request, error, { inputTokens: 0, outputTokens: 0 }), null);
          } finally {
            booked?.();
          }
          throw error;
        }
        try {
          book(request, started, succeeded(response, response.metadata), null);
        } finally {
          booked?.();
        }
        return response;
      },

      async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
        if (isBooking(request)) {
          yield* next.stream(request);
          return;
        }
        const started = start(request);
        const booked = options.inFlight?.start();
        const streaming = { firstTokenMs: null as number | null };
        let finish: FinishEvent | undefined;
        let output = '';
        let outcome: Outcome | undefined;
        try {
          for await (const event of next.stream(markBooking(request))) {
            if (event.type === 'finish') finish = event;
            else {
              streaming.firstTokenMs ??= round3(performance.now() - started.at);
              output += event.type === 'text-delta' ? event.text : (event.name ?? '') + event.argumentsDelta;
            }
            yield event;
          }
          if (!finish) outcome = failure(request, new Error('the stream ended without a finish event'), estimatedUsage(request, output));
        } catch (error) {
          outcome = failure(request, error, finish?.usage ?? estimatedUsage(request, output));
          throw error;
        } finally {
          // Reached on normal end, on error, and when the caller stops iterating early (return()).
          if (finish && !outcome) outcome = succeeded(finish, finish.metadata);
          outcome ??= { ...failure(request, new Error('cancelled'), estimatedUsage(request, output)), status: 'cancelled' };
          try {
            book(request, started, outcome, streaming);
          } finally {
            booked?.();
          }
        }
      },
    };
  };
}

interface Started {
  at: number;
  createdAt: string;
  traceId: string | null;
}

function start(request: ChatRequest): Started {
  return { at: performance.now(), createdAt: new Date().toISOString(), traceId: request.traceId ?? currentSpan()?.traceId ?? null };
}

function succeeded(result: ChatResponse | FinishEvent, metadata: ResponseMetadata | undefined): Outcome {
  return { status: 'ok', usage: result.usage, reportedUsd: result.cost.usd, provider: result.provider, model: result.model, metadata };
}

function isBooking(request: ChatRequest): boolean {
  return (request as { [BOOKING]?: true })[BOOKING] === true;
}

function markBooking(request: ChatRequest): ChatRequest {
  return { ...request, [BOOKING]: true } as ChatRequest;
}

function cacheHitOf(value: unknown): LedgerCacheHit {
  return value === 'exact' || value === 'semantic' ? value : 'none';
}

/** Upstream calls: models tried (fallback's `attempts`) plus retries of the one that answered. */
function attemptsOf(metadata: ResponseMetadata, failedAttempts: number | undefined): number {
  if (failedAttempts !== undefined) return Math.max(1, failedAttempts);
  const attempts = metadata['attempts'];
  const retries = metadata['retries'];
  const tried = typeof attempts === 'number' && Number.isSafeInteger(attempts) && attempts > 0 ? attempts : 1;
  return tried + (typeof retries === 'number' && Number.isSafeInteger(retries) && retries > 0 ? retries : 0);
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function reportToStderr(error: unknown, entry: LedgerEntry): void {
  console.error(`plumb ledger: could not book request ${entry.requestId} of tenant ${entry.tenantId}: ${error instanceof Error ? error.message : String(error)}`);
}
