/**
 * Traces as an OTLP/HTTP JSON export request (opentelemetry-proto ExportTraceServiceRequest, JSON
 * encoding), value for value the JSON the official JavaScript SDK sends for the same spans
 * (otlp-json.test.ts compares the two): hex trace and span ids, int64 nanoseconds as decimal
 * strings, typed attribute values — what an OTLP/HTTP receiver takes.
 */
import type { SpanAttributes, SpanAttributeValue, SpanRecord, TraceRecord } from '../../core/trace.ts';

/** What describes the process the spans come from (the OTLP resource). */
export interface OtlpResource {
  serviceName: string;
  serviceVersion: string;
}

type AnyValue =
  | { stringValue: string }
  | { intValue: number }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } }
  | Record<string, never>;

interface KeyValue {
  key: string;
  value: AnyValue;
}

/** OTLP span kinds: INTERNAL for plumb's own steps, CLIENT for calls to a model (GenAI conventions). */
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
/** Sampled (W3C trace flag 01), and the parent is known not to be remote (OTLP SpanFlags bit 8). */
const SPAN_FLAGS = 0x101;
const STATUS_CODE_OK = 1;
const STATUS_CODE_ERROR = 2;

/** The attribute that says which tenant a span belongs to; a collector sees every tenant's spans. */
export const TENANT_ATTRIBUTE = 'plumb.tenant.id';

/** One export request holding every span of `traces`. */
export function otlpTraceRequest(traces: readonly TraceRecord[], resource: OtlpResource): object {
  const spans: object[] = [];
  for (const trace of traces) for (const span of trace.spans) spans.push(otlpSpan(span, trace.tenantId));
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: resource.serviceName } },
            { key: 'service.version', value: { stringValue: resource.serviceVersion } },
          ],
          droppedAttributesCount: 0,
        },
        scopeSpans: [{ scope: { name: 'plumb', version: resource.serviceVersion }, spans }],
      },
    ],
  };
}

function otlpSpan(span: SpanRecord, tenantId: string): object {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: typeof span.attributes['gen_ai.operation.name'] === 'string' && span.attributes['gen_ai.operation.name'] !== 'retrieval' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL,
    startTimeUnixNano: unixNanos(span.startTime),
    endTimeUnixNano: unixNanos(span.endTime),
    attributes: [...keyValues(span.attributes), { key: TENANT_ATTRIBUTE, value: { stringValue: tenantId } }],
    droppedAttributesCount: 0,
    events: span.events.map((event) => ({
      attributes: keyValues(event.attributes ?? {}),
      name: event.name,
      timeUnixNano: unixNanos(event.time),
      droppedAttributesCount: 0,
    })),
    droppedEventsCount: 0,
    status: span.status === 'error' ? { code: STATUS_CODE_ERROR, ...(span.statusMessage ? { message: span.statusMessage } : {}) } : { code: STATUS_CODE_OK },
    links: [],
    droppedLinksCount: 0,
    flags: SPAN_FLAGS,
  };
}

function keyValues(attributes: SpanAttributes): KeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: SpanAttributeValue): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return {}; // null: an empty AnyValue, as the SDK sends it
}

/**
 * Epoch milliseconds (fractional, as spans record them) as decimal nanoseconds. Whole milliseconds
 * and the fraction are converted apart: ms × 10⁶ is past 2⁵³ and would lose the last digits.
 */
export function unixNanos(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const fractionNanos = Math.round((epochMs - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(fractionNanos)).toString();
}
