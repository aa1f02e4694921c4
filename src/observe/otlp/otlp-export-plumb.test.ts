import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/create-app.ts';
import { startOtlpCollector, type OtlpCollector } from '../../testing/otlp-collector.ts';
import { SAMPLE_DOCS, tempPlumb } from '../../testing/temp-plumb.ts';
import { wireGatewayPlumb } from '../../testing/wire-gateway-plumb.ts';
import type { Plumb } from '../../plumb.ts';

describe('plumb with tracing.otlp.endpoint', () => {
  let collector: OtlpCollector;
  let plumb: Plumb;
  /** What reached the traces path as JSON. */
  const requests = () => collector.received.filter((r) => r.path === '/v1/traces' && r.headers['content-type'] === 'application/json').map((r) => r.body);

  beforeAll(async () => {
    collector = await startOtlpCollector();
    // Found the way an operator sets it: the standard variable, no plumb setting.
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl, OTEL_SERVICE_NAME: 'rag-api' };
    ({ plumb } = await tempPlumb({ embeddings: { provider: 'none' }, tracing: { otlp: { delayMs: 10 } } }, env));
    await plumb.addDocuments(SAMPLE_DOCS, { tenantId: 'acme' });
  });

  afterAll(async () => {
    await collector.close();
  });

  it('sends every span of an answer to the collector, and still stores the trace', async () => {
    const result = await plumb.ask('Which port does the server listen on?', { tenantId: 'acme' });
    const app = createApp(plumb, { open: true });
    await expect.poll(async () => ((await (await app.request('/healthz')).json()) as { traceExport: { exportedSpans: number } }).traceExport.exportedSpans).toBeGreaterThan(0);

    const stored = await plumb.getTrace(result.traceId, { tenantId: 'acme' });
    const exported = requests().flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).filter((s) => s.traceId === result.traceId);
    expect(stored).not.toBeNull();
    expect(exported.map((s) => s.spanId).sort()).toEqual(stored!.spans.map((s) => s.spanId).sort());
    const root = exported.find((s) => s.parentSpanId === undefined)!;
    expect(root.name).toBe(stored!.name);
    for (const span of exported) {
      expect(span.attributes).toContainEqual({ key: 'plumb.tenant.id', value: { stringValue: 'acme' } });
      if (span !== root) expect(exported.map((s) => s.spanId)).toContain(span.parentSpanId);
    }
    expect(requests()[0]!.resourceSpans[0]!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'rag-api' } });
  });

  it('sends what is still queued when plumb closes', async () => {
    const before = requests().length;
    const result = await plumb.ask('How are API keys stored?', { tenantId: 'acme' });
    await plumb.close();
    const ids = requests().slice(before).flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).map((s) => s.traceId);
    expect(ids).toContain(result.traceId);
  });
});

describe('a gateway call whose ledger row stands for its trace', () => {
  it('is still exported, and the trace rebuilt from the row names the span the collector got', async () => {
    const collector = await startOtlpCollector();
    const { plumb, close } = await wireGatewayPlumb({ tracing: { otlp: { endpoint: `${collector.baseUrl}/v1/traces`, delayMs: 10 } } });
    try {
      const response = await plumb.chat({ messages: [{ role: 'user', content: 'Say hi.' }] }, { model: 'fast', tenantId: 'acme' });
      const traceId = String(response.metadata?.['traceId']);
      const exportedSpans = () =>
        collector.received
          .filter((r) => r.path === '/v1/traces')
          .flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)))
          .filter((s) => s.traceId === traceId);
      await expect.poll(() => exportedSpans().length).toBe(1);
      const rebuilt = await plumb.getTrace(traceId, { tenantId: 'acme' });
      expect(rebuilt.spans[0]!.attributes['plumb.trace.source']).toBe('ledger');
      expect(rebuilt.spans[0]!.spanId).toBe(exportedSpans()[0]!.spanId);
    } finally {
      await close();
      await collector.close();
    }
  });
});
