// Answers the parent's `{ type: 'memory' }` with this process's memory after a full GC (the
// process runs with --expose-gc), so the benchmark reads live heap, not garbage not yet collected.
export function answerMemoryProbes() {
  process.on('message', (m) => {
    if (m?.type !== 'memory') return;
    globalThis.gc?.();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send?.({ type: 'memory', rss, heapUsed, external, arrayBuffers, collected: typeof globalThis.gc === 'function' });
  });
}
