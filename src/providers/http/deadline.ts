/**
 * The cancellation of one provider call: it fires on the caller's abort or on our timeout, and
 * remembers which of the two it was: a caller's abort is passed through, our timeout becomes an
 * `upstream_timeout` error. A plain timer and at most one listener on the caller's signal, not an
 * AbortController of its own: controllers and their signals were the largest thing every request
 * left for the old generation (bench/gateway-overhead/profile-allocations.ts --promoted).
 */
import type { Cancellation } from './transport.ts';

export class Deadline implements Cancellation {
  private timer: NodeJS.Timeout | undefined;
  private expired = false;
  private fired = false;
  private firedReason: unknown;
  private listener: ((reason: unknown) => void) | undefined;
  private readonly onCallerAbort = (): void => this.fire(this.callerSignal?.reason);

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    if (callerSignal?.aborted) this.fire(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.restart();
  }

  get aborted(): boolean {
    return this.fired;
  }

  get reason(): unknown {
    return this.firedReason;
  }

  /** Calls `listener` once when the call is cancelled (at once if it already was); returns what unsubscribes. */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.fired) {
      listener(this.firedReason);
      return () => undefined;
    }
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }

  /** True when our timeout (not the caller) ended the call. */
  get timedOut(): boolean {
    return this.expired;
  }

  /** True when the caller aborted; their reason is what they expect to see thrown. */
  get callerAborted(): boolean {
    return this.callerSignal?.aborted === true;
  }

  get callerReason(): unknown {
    return this.callerSignal?.reason;
  }

  /** Starts the timeout again; streams call this on every chunk so it bounds silence, not length. */
  restart(): void {
    clearTimeout(this.timer);
    if (this.fired) return;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.fire(new Error(`no response within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
  }

  /** Stops the timer and, when the body was not read to its end, closes the connection. */
  dispose(abandonConnection = false): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (abandonConnection && !this.fired) this.fire(new Error('response abandoned'));
  }

  private fire(reason: unknown): void {
    if (this.fired) return;
    this.fired = true;
    this.firedReason = reason;
    clearTimeout(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    listener?.(reason);
  }
}
