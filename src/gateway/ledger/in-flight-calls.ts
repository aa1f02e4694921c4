/**
 * Calls the ledger has started but not booked yet. Closing the gateway waits for them, so a call
 * still running when plumb shuts down (answered, failed or cancelled by a client the server cut)
 * gets its row before the store closes, instead of failing to write into a closed store.
 */
export class InFlightCalls {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** A call started; call the returned function once, when its row is booked. */
  start(): () => void {
    this.count++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get size(): number {
    return this.count;
  }

  /** Resolves true once no call is in flight, or false after `timeoutMs` with some still running. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }
}
