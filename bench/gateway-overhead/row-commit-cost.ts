// What booking a request costs the SQLite store: one ledger row and one trace per request, queued
// in batches of 1, 5, 20 and 100 (a 5 ms commit window holds ~5 requests at 1,000 req/s), committed
// in-process or by the writer thread. Prints CPU µs per request for the whole process and for the
// main thread (the event loop) alone.
//   npx tsx bench/gateway-overhead/row-commit-cost.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry } from '../../src/core/store.ts';
import { timeOrderedTraceId, uuidV7 } from '../../src/observe/random-id.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { mainThreadCpuMicrosOf } from './children.ts';

const REQUESTS = 6000;

function ledgerRow(): LedgerEntry {
  const id = uuidV7();
  return {
    id, tenantId: 'default', route: 'fast', provider: 'stub', model: 'm', inputTokens: 24, outputTokens: 6, cachedInputTokens: 0,
    cacheWriteInputTokens: 0, reasoningTokens: 0, costNanoUsd: 7_200, cacheHit: 'none', latencyMs: 1.25, firstTokenMs: null, status: 'ok',
    streamed: false, attempts: 1, tags: [], createdAt: new Date().toISOString(), requestId: `req-${id}`, traceId: null,
  };
}

function traceOf(): Parameters<SqliteStore['saveTrace']>[0] {
  const traceId = timeOrderedTraceId();
  const now = Date.now();
  const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 24, 'gen_ai.usage.output_tokens': 6, 'plumb.cost.usd': 0 };
  return { traceId, tenantId: 'default', name: 'chat', startTime: now, durationMs: 1, status: 'ok', spans: [{ traceId, spanId: 'a3add982b605512b', parentSpanId: null, name: 'chat', startTime: now, endTime: now + 1, durationMs: 1, status: 'ok', attributes, events: [] }] };
}

for (const writerThread of [false, true]) {
  for (const batch of [1, 5, 20, 100]) {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-row-cost-'));
    // A window longer than the run: each batch is committed when the read below flushes it.
    const store = SqliteStore.open({ path: join(dir, 'plumb.db'), writerThread, groupCommitMs: 1e6 });
    const run = async (requests: number) => {
      for (let i = 0; i < requests; i += batch) {
        const writes: Array<Promise<void>> = [];
        for (let j = 0; j < batch; j++) writes.push(store.appendLedgerEntry(ledgerRow()), store.saveTrace(traceOf()));
        await store.listTenants(); // flushes the queue
        await Promise.all(writes);
      }
    };
    await run(2000);
    const cpu = process.cpuUsage();
    const main = mainThreadCpuMicrosOf(process.pid);
    await run(REQUESTS);
    const used = process.cpuUsage(cpu);
    const all = (used.user + used.system) / REQUESTS;
    const mainUs = (mainThreadCpuMicrosOf(process.pid) - main) / REQUESTS;
    console.log(`${writerThread ? 'writer thread' : 'in-process   '}  batch ${String(batch).padStart(3)}: ${all.toFixed(0).padStart(4)} µs CPU per request (main thread ${mainUs.toFixed(0)})`);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
