/**
 * One AbortSignal for a provider call that fires on the caller's abort or on our timeout, and
 * remembers which of the two it was: a caller's abort is passed through, our timeout becomes
 * an `upstream_timeout` error.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private expired = false;
  private readonly onCallerAbort = (): void => this.controller.abort(this.callerSignal?.reason);

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.signal = this.controller.signal;
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.restart();
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
    if (this.controller.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error(`no response within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
  }

  /** Stops the timer and, when the body was not read to its end, closes the connection. */
  dispose(abandonConnection = false): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (abandonConnection && !this.controller.signal.aborted) this.controller.abort(new Error('response abandoned'));
  }
}
