/**
 * A small promise pool: runs `worker` over `items` with at most `concurrency` in flight. Results
 * keep input order. A failing item rejects the whole pool only if the worker throws; the runner's
 * worker catches per-case errors itself so one bad case never stops a run.
 */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = Math.max(1, Math.floor(concurrency));
  const results = new Array<R>(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => lane()));
  return results;
}
