/**
 * The clock of one model call: an AbortSignal that follows the caller's and that our own
 * timeouts abort with their PlumbError (providers rethrow a caller's abort reason as is), plus a
 * race, so a provider that ignored the signal still cannot keep the caller waiting.
 */
import type { PlumbError } from '../../core/errors.ts';

export class CallTimer {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly expired: Promise<never>;
  private expire!: (error: PlumbError) => void;
  private readonly onCallerAbort = (): void => this.controller.abort(this.callerSignal?.reason);

  constructor(private readonly callerSignal: AbortSignal | undefined) {
    this.signal = this.controller.signal;
    this.expired = new Promise<never>((_, reject) => {
      this.expire = (error) => {
        this.controller.abort(error);
        reject(error);
      };
    });
    this.expired.catch(() => undefined); // observed through race(); never an unhandled rejection
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** Fails the call with `makeError()` after `ms`; returns a function that cancels this timer. */
  after(ms: number | undefined, makeError: () => PlumbError): () => void {
    if (ms === undefined) return () => undefined;
    const timer = setTimeout(() => this.expire(makeError()), ms);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Settles with `work`, or rejects as soon as one of our timers fires. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  /** Stops every timer and stops following the caller's signal. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
