/**
 * Timeouts around one provider call: `totalMs` bounds a whole generate call or a whole stream,
 * `firstTokenMs` bounds how long a stream may take to produce its first event. A timeout before
 * the first token is an ordinary retryable failure (retry and fallback take over); after it the
 * stream ends with an `upstream_timeout` error, never by going quiet or ending short.
 *
 * Connect time cannot be seen through the ChatModel interface: the provider's HTTP transport
 * bounds it with its own `connectTimeoutMs` (`timeouts.connectMs` in config; providers/http).
 */
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent } from '../../core/model.ts';
import type { ChatMiddleware } from '../middleware.ts';
import { wrapChat } from '../middleware.ts';
import { CallTimer } from './call-timer.ts';
import { openStream } from './open-stream.ts';

export interface TimeoutOptions {
  /** Longest time from calling `stream` to its first event. */
  firstTokenMs?: number | undefined;
  /** Longest time for a whole generate call or a whole stream. */
  totalMs?: number | undefined;
  /**
   * The wrapped model already fails a generate call after `totalMs` (an HTTP provider's own
   * deadline): skip this layer's clock for generate, which costs an AbortController and a timer
   * per call. Streams keep it (first-token and total bounds are this layer's).
   */
  generateBoundInside?: boolean | undefined;
}

/** Middleware that fails calls exceeding the first-token or total timeout with `upstream_timeout`. */
export function withTimeouts(options: TimeoutOptions): ChatMiddleware {
  return (inner) =>
    wrapChat(inner, {
      generate: options.generateBoundInside ? (request) => inner.generate(request) : (request) => generateWithin(inner, request, options),
      stream: (request) => streamWithin(inner, request, options),
    });
}

async function generateWithin(inner: ChatModel, request: ChatRequest, options: TimeoutOptions): Promise<ChatResponse> {
  const timer = new CallTimer(request.signal);
  timer.after(options.totalMs, () => timeoutError(inner.provider, 'total', options.totalMs ?? 0, false));
  try {
    return await timer.race(inner.generate({ ...request, signal: timer.signal }));
  } finally {
    timer.dispose();
  }
}

async function* streamWithin(inner: ChatModel, request: ChatRequest, options: TimeoutOptions): AsyncGenerator<ChatStreamEvent> {
  const timer = new CallTimer(request.signal);
  let streaming = false;
  timer.after(options.totalMs, () => timeoutError(inner.provider, 'total', options.totalMs ?? 0, streaming));
  const stopFirstTokenTimer = timer.after(options.firstTokenMs, () => timeoutError(inner.provider, 'firstToken', options.firstTokenMs ?? 0, false));
  let rest: AsyncIterator<ChatStreamEvent> | undefined;
  let finished = false;
  try {
    const opened = await timer.race(openStream(inner, { ...request, signal: timer.signal }));
    rest = opened.rest;
    stopFirstTokenTimer();
    streaming = true;
    let step = opened.first;
    while (!step.done) {
      yield step.value;
      step = await timer.race(rest.next());
    }
    finished = true;
  } finally {
    timer.dispose();
    // On a timeout the inner stream is still running (its signal is aborted): let it wind down.
    if (!finished) void rest?.return?.().catch(() => undefined);
  }
}

function timeoutError(provider: string, which: 'total' | 'firstToken', ms: number, afterFirstToken: boolean): PlumbError {
  const what = which === 'total' ? `did not finish within ${ms} ms` : `sent no first token within ${ms} ms`;
  return new PlumbError('upstream_timeout', `${provider} ${what}${afterFirstToken ? '; the streamed answer is incomplete' : ''}.`, {
    hint: `Retry, fall back to another provider, or raise the ${which === 'total' ? 'totalMs' : 'firstTokenMs'} timeout for slow models.`,
    details: { provider, timeout: which, timeoutMs: ms, afterFirstToken },
  });
}
