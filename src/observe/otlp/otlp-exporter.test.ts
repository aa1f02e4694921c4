import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/trace.ts';
import { postText } from '../../providers/http/post-text.ts';
import { startOtlpCollector, type OtlpCollector, type ReceivedExport } from '../../testing/otlp-collector.ts';
import { OtlpTraceExporter, type OtlpExporterOptions } from './otlp-exporter.ts';

const collectors: OtlpCollector[] = [];
afterEach(async () => {
  await Promise.all(collectors.splice(0).map((c) => c.close()));
});

/** A local collector, closed after the test; `url` is its traces URL. */
async function startCollector(answer?: (n: number, res: ServerResponse) => void) {
  const collector = await startOtlpCollector(answer);
  collectors.push(collector);
  return { url: collector.tracesUrl, received: collector.received, requests: collector.requests };
}

function traceOf(id: number, spans = 2, tenantId = 'acme'): TraceRecord {
  const traceId = id.toString(16).padStart(32, '0');
  return {
    traceId,
    tenantId,
    name: 'chat',
    startTime: 1_764_140_000_000,
    durationMs: 5,
    status: 'ok',
    spans: Array.from({ length: spans }, (_, i) => ({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i === 0 ? null : '0000000000000001',
      name: i === 0 ? 'chat' : `step-${i}`,
      startTime: 1_764_140_000_000 + i,
      endTime: 1_764_140_000_005,
      durationMs: 5 - i,
      status: 'ok' as const,
      attributes: {},
      events: [],
    })),
  };
}

function exporterFor(url: string, options: Partial<OtlpExporterOptions> = {}) {
  const warnings: string[] = [];
  const exporter = new OtlpTraceExporter({
    url,
    post: postText,
    headers: { 'x-api-key': 'sk-collector-secret-123' },
    resource: { serviceName: 'plumb-test', serviceVersion: '0.0.0' },
    delayMs: 5,
    timeoutMs: 2_000,
    maxQueueSpans: 1_000,
    maxBatchSpans: 100,
    maxRetries: 3,
    warn: (message) => warnings.push(message),
    ...options,
  });
  return { exporter, warnings };
}

const spanCount = (r: ReceivedExport) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).length;

describe('OtlpTraceExporter', () => {
  it('sends queued traces in batches with the configured headers, as JSON, without being asked', async () => {
    const collector = await startCollector();
    const { exporter } = exporterFor(collector.url, { maxBatchSpans: 4 });
    for (let i = 1; i <= 5; i++) void exporter.sink(traceOf(i));
    await expect.poll(() => collector.received.reduce((n, r) => n + spanCount(r), 0)).toBe(10);
    // 10 spans in traces of 2, at most 4 per request: 3 requests, no trace split across two.
    expect(collector.received.map(spanCount)).toEqual([4, 4, 2]);
    expect(collector.received[0]!.headers['content-type']).toBe('application/json');
    expect(collector.received[0]!.headers['x-api-key']).toBe('sk-collector-secret-123');
    // The collector counts a request when it arrives, the exporter when the answer comes back.
    await expect.poll(() => exporter.stats().exportedSpans).toBe(10);
    expect(exporter.stats()).toMatchObject({ exportedSpans: 10, droppedSpans: 0, failedRequests: 0, queuedSpans: 0 });
    await exporter.close();
  });

  it('retries a 503 after the Retry-After the collector asked for, then delivers', async () => {
    const collector = await startCollector((n, res) => {
      if (n === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else res.writeHead(200).end();
    });
    const { exporter } = exporterFor(collector.url);
    void exporter.sink(traceOf(1));
    const started = Date.now();
    await exporter.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(collector.requests()).toBe(2);
    expect(collector.received[1]!.body).toEqual(collector.received[0]!.body);
    expect(exporter.stats()).toMatchObject({ exportedSpans: 2, droppedSpans: 0, failedRequests: 1 });
  });

  it('gives up on a request the collector never answers after timeoutMs, and retries it', async () => {
    const collector = await startCollector((n, res) => {
      if (n > 1) res.writeHead(200).end();
      // the first request hangs
    });
    const { exporter } = exporterFor(collector.url, { timeoutMs: 200 });
    void exporter.sink(traceOf(1));
    await exporter.flush();
    expect(collector.requests()).toBe(2);
    expect(exporter.stats()).toMatchObject({ exportedSpans: 2, failedRequests: 1 });
    expect(exporter.stats().lastError).toContain('no answer within 200 ms');
  });

  it('drops a batch the collector refuses (400) without retrying, and never prints header values', async () => {
    const collector = await startCollector((_, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"bad span"}'));
    const { exporter, warnings } = exporterFor(collector.url);
    void exporter.sink(traceOf(1, 3));
    await exporter.flush();
    expect(collector.requests()).toBe(1);
    expect(exporter.stats()).toMatchObject({ exportedSpans: 0, droppedSpans: 3, failedRequests: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 400');
    expect(warnings.join('\n')).not.toContain('sk-collector-secret-123');
  });

  it('counts spans a collector rejects in a partial success', async () => {
    const collector = await startCollector((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"partialSuccess":{"rejectedSpans":"1","errorMessage":"span too old"}}'));
    const { exporter, warnings } = exporterFor(collector.url);
    void exporter.sink(traceOf(1, 3));
    await exporter.flush();
    expect(exporter.stats()).toMatchObject({ exportedSpans: 2, droppedSpans: 1 });
    expect(warnings[0]).toContain('span too old');
  });

  it('holds at most maxQueueSpans while the collector is away, dropping (and counting) the rest', async () => {
    // Nothing listens on this port: every export fails to connect.
    const collector = await startCollector();
    const url = collector.url;
    await Promise.all(collectors.splice(0).map((c) => c.close()));
    const { exporter, warnings } = exporterFor(url, { maxQueueSpans: 5, delayMs: 60_000, maxRetries: 0 });
    for (let i = 1; i <= 4; i++) void exporter.sink(traceOf(i));
    expect(exporter.stats()).toMatchObject({ queuedSpans: 4, droppedSpans: 4 });
    expect(warnings[0]).toContain('queue is full');
    await exporter.flush();
    expect(exporter.stats()).toMatchObject({ exportedSpans: 0, droppedSpans: 8, queuedSpans: 0 });
    expect(exporter.stats().lastError).toMatch(/ECONNREFUSED|connect/i);
  });

  it('close() does not wait out a long Retry-After: one more try, then what is left is dropped', async () => {
    const collector = await startCollector((_, res) => res.writeHead(429, { 'retry-after': '30' }).end());
    const { exporter } = exporterFor(collector.url);
    void exporter.sink(traceOf(1));
    await expect.poll(() => collector.requests()).toBe(1);
    const started = Date.now();
    await exporter.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(collector.requests()).toBe(2);
    expect(exporter.stats()).toMatchObject({ exportedSpans: 0, droppedSpans: 2 });
    void exporter.sink(traceOf(2));
    expect(exporter.stats().queuedSpans).toBe(0); // closed: takes nothing more
  });

  it('close() against a collector that hangs waits one timeout, not one per queued batch', async () => {
    const collector = await startCollector(() => {
      // never answers
    });
    const { exporter } = exporterFor(collector.url, { timeoutMs: 300, delayMs: 60_000, maxBatchSpans: 2 });
    for (let i = 1; i <= 5; i++) void exporter.sink(traceOf(i));
    const started = Date.now();
    await exporter.close();
    // Five batches of one trace each: one tried (300 ms), four dropped at once.
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(collector.requests()).toBe(1); // only the first batch was sent
    expect(exporter.stats()).toMatchObject({ exportedSpans: 0, droppedSpans: 10, failedRequests: 1, queuedSpans: 0 });
  });

  it('counts a batch being retried against maxQueueSpans, so a down collector cannot grow memory without bound', async () => {
    const collector = await startCollector((n, res) => {
      if (n === 1) res.writeHead(503, { 'retry-after': '1' }).end();
      else res.writeHead(200).end();
    });
    const { exporter } = exporterFor(collector.url, { maxQueueSpans: 4, delayMs: 5 });
    void exporter.sink(traceOf(1));
    await expect.poll(() => collector.requests()).toBe(1); // now waiting to retry
    void exporter.sink(traceOf(2)); // 2 + 2 spans: fits
    void exporter.sink(traceOf(3)); // would make 6: dropped
    expect(exporter.stats()).toMatchObject({ queuedSpans: 4, droppedSpans: 2 });
    await exporter.flush();
    await expect.poll(() => exporter.stats().exportedSpans).toBe(4);
    expect(exporter.stats().queuedSpans).toBe(0);
    await exporter.close();
  });
});
