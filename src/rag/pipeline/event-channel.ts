/**
 * A one-producer, one-consumer async queue: lets a producer that runs inside a callback (such as
 * a trace) feed an async generator that the caller iterates.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;
  private failure: { error: unknown } | null = null;

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else this.buffer.push(value);
  }

  close(): void {
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.buffer.length > 0) {
        yield this.buffer.shift()!;
        continue;
      }
      if (this.closed) {
        if (this.failure) throw this.failure.error;
        return;
      }
      const next = await new Promise<IteratorResult<T>>((resolve) => (this.waiting = resolve));
      if (next.done) {
        if (this.failure) throw this.failure.error;
        return;
      }
      yield next.value;
    }
  }
}
