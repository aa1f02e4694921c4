/** Traces as stored and served: OpenTelemetry-shaped spans with GenAI semantic-convention attributes. */
import type { JsonPrimitive } from './json.ts';

export type SpanAttributeValue = JsonPrimitive | JsonPrimitive[];
export type SpanAttributes = Record<string, SpanAttributeValue>;

export interface SpanEvent {
  name: string;
  time: number;
  attributes?: SpanAttributes;
}

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** Epoch milliseconds (fractional). */
  startTime: number;
  endTime: number;
  durationMs: number;
  status: 'ok' | 'error';
  statusMessage?: string;
  attributes: SpanAttributes;
  events: SpanEvent[];
}

export interface TraceRecord {
  traceId: string;
  tenantId: string;
  /** Name of the root span, e.g. "rag.query". */
  name: string;
  startTime: number;
  durationMs: number;
  status: 'ok' | 'error';
  spans: SpanRecord[];
}

export interface TraceSummary {
  traceId: string;
  tenantId: string;
  name: string;
  startTime: number;
  durationMs: number;
  status: 'ok' | 'error';
  spanCount: number;
}
