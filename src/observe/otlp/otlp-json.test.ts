import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';
import type { SpanRecord, TraceRecord } from '../../core/trace.ts';
import { otlpTraceRequest, TENANT_ATTRIBUTE, unixNanos } from './otlp-json.ts';

const TRACE_ID = '0192f3a4b5c6d7e8f90a1b2c3d4e5f60';

function spanRecord(overrides: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: TRACE_ID,
    spanId: '1111111111111111',
    parentSpanId: null,
    name: 'rag.query',
    startTime: 1_764_140_000_123.25,
    endTime: 1_764_140_000_456.5,
    durationMs: 333.25,
    status: 'ok',
    attributes: {},
    events: [],
    ...overrides,
  };
}

const trace: TraceRecord = {
  traceId: TRACE_ID,
  tenantId: 'acme',
  name: 'rag.query',
  startTime: 1_764_140_000_123.25,
  durationMs: 333.25,
  status: 'error',
  spans: [
    spanRecord({ attributes: { 'plumb.question.chars': 42, 'plumb.k': 5, 'plumb.mode': 'hybrid', 'plumb.cached': false, 'plumb.cost.usd': 0.00125, 'plumb.none': null, 'gen_ai.response.finish_reasons': ['stop'] } }),
    spanRecord({
      spanId: '2222222222222222',
      parentSpanId: '1111111111111111',
      name: 'generate',
      startTime: 1_764_140_000_200.75,
      endTime: 1_764_140_000_450,
      status: 'error',
      statusMessage: 'upstream 503',
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 812 },
      events: [{ name: 'retry', time: 1_764_140_000_300.5, attributes: { attempt: 2 } }],
    }),
  ],
};

// One resource and scope object for all spans: the serializer groups spans by object identity.
const RESOURCE = resourceFromAttributes({ 'service.name': 'plumb-test', 'service.version': '9.9.9' });
const SCOPE = { name: 'plumb', version: '9.9.9' };

/** The same spans as the official SDK's ReadableSpan, for its own serializer. */
function asReadableSpan(span: SpanRecord, tenantId: string) {
  const hr = (ms: number): [number, number] => {
    const nanos = BigInt(unixNanos(ms));
    return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
  };
  const client = span.attributes['gen_ai.operation.name'] === 'chat';
  return {
    name: span.name,
    kind: client ? 2 : 0, // the API's CLIENT and INTERNAL
    spanContext: () => ({ traceId: span.traceId, spanId: span.spanId, traceFlags: 1 }),
    parentSpanContext: span.parentSpanId ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1, isRemote: false } : undefined,
    startTime: hr(span.startTime),
    endTime: hr(span.endTime),
    status: span.status === 'error' ? { code: 2, message: span.statusMessage } : { code: 1 },
    attributes: { ...span.attributes, [TENANT_ATTRIBUTE]: tenantId },
    links: [],
    events: span.events.map((e) => ({ name: e.name, time: hr(e.time), attributes: e.attributes ?? {} })),
    duration: [0, 0] as [number, number],
    ended: true,
    resource: RESOURCE,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

describe('otlpTraceRequest', () => {
  it("is exactly what the official OpenTelemetry JS serializer sends for the same spans", () => {
    const ours = otlpTraceRequest([trace], { serviceName: 'plumb-test', serviceVersion: '9.9.9' });
    const spans = trace.spans.map((s) => asReadableSpan(s, trace.tenantId));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- plain objects standing in for the SDK's span class
    const official = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans as any)!)) as unknown;
    expect(JSON.parse(JSON.stringify(ours))).toEqual(official);
  });

  it('names the tenant, links child to parent and marks model calls as client spans', () => {
    const request = otlpTraceRequest([trace], { serviceName: 'plumb', serviceVersion: '0.1.0' }) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string; parentSpanId?: string; kind: number; attributes: Array<{ key: string; value: unknown }>; status: { code: number; message?: string } }> }> }>;
    };
    const [root, child] = request.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(root!.parentSpanId).toBeUndefined();
    expect(child!.parentSpanId).toBe(root!.spanId);
    expect(root!.kind).toBe(1);
    expect(child!.kind).toBe(3);
    expect(child!.status).toEqual({ code: 2, message: 'upstream 503' });
    expect(root!.attributes).toContainEqual({ key: TENANT_ATTRIBUTE, value: { stringValue: 'acme' } });
  });
});

describe('unixNanos', () => {
  it('keeps every digit of an epoch-millisecond time', () => {
    expect(unixNanos(1_764_140_000_123)).toBe('1764140000123000000');
    expect(unixNanos(1_764_140_000_123.5)).toBe('1764140000123500000');
    expect(unixNanos(0.000001)).toBe('1');
  });
});
