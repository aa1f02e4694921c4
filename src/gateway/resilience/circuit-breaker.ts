/**
 * A circuit breaker per provider (cockatiel's): after `failureThreshold` consecutive provider
 * failures — or, with `window`, a failure rate over a sliding time window — it opens and rejects
 * calls at once without sending them, so a fallback answers instead of every caller waiting on
 * a dead server. After `halfOpenAfterMs` one probe call goes through: success closes it, failure
 * opens it again. While the probe runs, other calls are rejected too (not queued behind it).
 *
 * Only provider failures count (429, 5xx, timeouts, nothing listening); a caller's 400 or abort
 * says nothing about the provider's health. A stream counts as one call from its start to its
 * end, so a provider that keeps cutting streams midway opens its breaker as well.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, SamplingBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatStreamEvent } from '../../core/model.ts';
import type { ChatMiddleware } from '../middleware.ts';
import { wrapChat } from '../middleware.ts';
import { isProviderFailure } from './failure-kinds.ts';
import { eventsOf, openStream } from './open-stream.ts';
import type { OpenedStream } from './open-stream.ts';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (used when `window` is not set). Default 5. */
  failureThreshold?: number | undefined;
  /** Open on a failure rate over a sliding window instead of a consecutive count. */
  window?: { failureRate: number; durationMs: number; minimumRps?: number | undefined } | undefined;
  /** How long an open breaker rejects before letting one probe through. */
  halfOpenAfterMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** What /healthz shows for one provider. */
export interface BreakerSnapshot {
  provider: string;
  state: BreakerState;
  /** When it last opened (ms since the epoch), or null. */
  openedAt: number | null;
  /** The failure that last opened it. */
  lastFailure: string | null;
}

/** One provider's breaker: its observable state and the middleware that applies it. */
export interface ProviderBreaker {
  readonly provider: string;
  readonly state: BreakerState;
  snapshot(): BreakerSnapshot;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (state: BreakerState) => void): () => void;
  readonly middleware: ChatMiddleware;
  /** Runs one call through the breaker (for calls that are not chat, e.g. embeddings of the same provider). */
  run<T>(work: () => Promise<T>): Promise<T>;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** Creates the breaker of one provider. */
export function createCircuitBreaker(provider: string, options: CircuitBreakerOptions): ProviderBreaker {
  const breaker = options.window
    ? new SamplingBreaker({ threshold: options.window.failureRate, duration: options.window.durationMs, ...(options.window.minimumRps === undefined ? {} : { minimumRps: options.window.minimumRps }) })
    : new ConsecutiveBreaker(options.failureThreshold ?? 5);
  const policy = circuitBreaker(handleWhen(isProviderFailure), { halfOpenAfter: options.halfOpenAfterMs, breaker });
  let openedAt: number | null = null;
  let lastFailure: string | null = null;
  policy.onBreak((reason) => {
    openedAt = Date.now();
    lastFailure = 'error' in reason && reason.error instanceof Error ? reason.error.message : null;
  });

  const rejection = (): PlumbError => {
    const state = STATE_NAMES[policy.state];
    const waitMs = openedAt === null ? options.halfOpenAfterMs : Math.max(0, openedAt + options.halfOpenAfterMs - Date.now());
    return new PlumbError('unavailable', `${provider} is failing: its circuit breaker is ${state}, so the call was not sent.`, {
      hint: `The breaker lets a probe through after ${options.halfOpenAfterMs} ms; configure a fallback to answer meanwhile.`,
      retryAfterSeconds: state === 'half-open' ? 0 : waitMs / 1000,
      details: { provider, circuit: state, ...(lastFailure === null ? {} : { lastFailure }) },
    });
  };
  const guard = <T>(run: () => Promise<T>): Promise<T> => {
    // Callers arriving during the probe would queue behind it in cockatiel; fail them fast instead.
    if (policy.state === CircuitState.HalfOpen) return Promise.reject(rejection());
    return policy.execute(run).catch((err: unknown) => {
      throw err instanceof BrokenCircuitError ? rejection() : err;
    });
  };

  return {
    provider,
    get state() {
      return STATE_NAMES[policy.state];
    },
    snapshot: () => ({ provider, state: STATE_NAMES[policy.state], openedAt, lastFailure }),
    onStateChange(listener) {
      const subscription = policy.onStateChange((state) => listener(STATE_NAMES[state]));
      return () => subscription.dispose();
    },
    run: (work) => guard(work),
    middleware: (inner) =>
      wrapChat(inner, {
        generate: (request) => guard(() => inner.generate(request)),
        stream: (request) => streamThrough(guard, inner, request),
      }),
  };
}

async function* streamThrough(
  guard: (run: () => Promise<void>) => Promise<void>,
  inner: ChatModel,
  request: ChatRequest,
): AsyncGenerator<ChatStreamEvent> {
  // The breaker's call spans the whole stream: it settles when the stream ends, ok or not.
  let settle: (failure: { error: unknown } | undefined) => void = () => undefined;
  const ended = new Promise<void>((resolve, reject) => {
    settle = (failure) => (failure ? reject(failure.error) : resolve());
  });
  let run: Promise<void> = Promise.resolve();
  const opened = await new Promise<OpenedStream>((resolve, reject) => {
    run = guard(async () => {
      const stream = await openStream(inner, request);
      resolve(stream);
      await ended;
    });
    run.catch(reject); // a no-op once the stream opened: its later failure reaches the caller below
  });
  let failure: { error: unknown } | undefined;
  try {
    yield* eventsOf(opened);
  } catch (error) {
    failure = { error };
    throw error;
  } finally {
    settle(failure);
    // Let the breaker record the outcome before the caller sees the stream end.
    await run.catch(() => undefined);
  }
}
