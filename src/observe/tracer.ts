/**
 * Tracing with implicit context: `span(name, attributes, fn)` runs `fn` inside a child of the
 * current span (found through AsyncLocalStorage), so deep code records steps without a tracer
 * being passed around. A root span collects its descendants and hands the finished trace to the
 * sink (the store) in one write. Names and attributes follow the OpenTelemetry GenAI semantic
 * conventions (gen_ai.operation.name, gen_ai.request.model, gen_ai.usage.input_tokens, …).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { SpanAttributeValue, SpanAttributes, SpanRecord, TraceRecord } from '../core/trace.ts';
import { randomHex, rootSpanIdOf, timeOrderedTraceId } from './random-id.ts';

export type TraceSink = (trace: TraceRecord) => Promise<void> | void;

interface TraceState {
  traceId: string;
  tenantId: string;
  spans: SpanRecord[];
  sink: TraceSink | undefined;
}

/** A live span: code inside it may add attributes and events until it ends. */
export class ActiveSpan {
  readonly record: SpanRecord;
  readonly trace: TraceState;

  constructor(trace: TraceState, name: string, parentSpanId: string | null, attributes: SpanAttributes, spanId = randomHex(8)) {
    this.trace = trace;
    const now = wallClockMs();
    this.record = {
      traceId: trace.traceId,
      spanId,
      parentSpanId,
      name,
      startTime: now,
      endTime: now,
      durationMs: 0,
      status: 'ok',
      attributes: { ...attributes },
      events: [],
    };
  }

  get traceId(): string {
    return this.record.traceId;
  }

  setAttribute(key: string, value: SpanAttributeValue | undefined): this {
    if (value !== undefined) this.record.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Record<string, SpanAttributeValue | undefined>): this {
    for (const [key, value] of Object.entries(attributes)) this.setAttribute(key, value);
    return this;
  }

  addEvent(name: string, attributes?: SpanAttributes): this {
    this.record.events.push({ name, time: wallClockMs(), ...(attributes ? { attributes } : {}) });
    return this;
  }

  fail(error: unknown): void {
    this.record.status = 'error';
    this.record.statusMessage = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    this.record.attributes['error.type'] = typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
  }

  /**
   * Hands this span's trace, when it ends, to `sink` instead of the one it started with: e.g. a
   * gateway call whose ledger row stands for its trace goes to the collector only.
   */
  redirectTrace(sink: TraceSink | undefined): void {
    this.trace.sink = sink;
  }

  end(): void {
    this.record.endTime = wallClockMs();
    this.record.durationMs = round3(this.record.endTime - this.record.startTime);
    this.trace.spans.push(this.record);
  }
}

const storage = new AsyncLocalStorage<ActiveSpan>();
/**
 * Traces running inside `storage` now. When the last one ends the storage is disabled: on Node 20
 * an enabled AsyncLocalStorage hooks every promise the process creates, so a server that answered
 * one RAG query would otherwise pay that on every later gateway call. `run()` enables it again.
 */
let propagatingTraces = 0;

/** The span the calling code runs in, if any. */
export function currentSpan(): ActiveSpan | undefined {
  return storage.getStore();
}

export interface RootSpanOptions {
  tenantId: string;
  sink?: TraceSink;
  attributes?: SpanAttributes;
  /**
   * false: the root does not become the current span, so `span()` inside it records nothing and
   * `currentSpan()` does not see it; callers pass `root.traceId` on explicitly. For traces whose
   * code opens no child spans (a gateway chat call): on Node 20, AsyncLocalStorage puts a hook on
   * every promise the process creates from its first use on, which cost the gateway's request path
   * ~20% of its CPU (bench/gateway-overhead/layer-costs.ts). Default true.
   */
  propagate?: boolean;
}

/**
 * Starts a new trace whose root span runs `fn`. When the root ends, the whole trace goes to the
 * sink; a sink failure is reported on stderr but never fails the request it traced.
 */
export async function trace<T>(name: string, options: RootSpanOptions, fn: (span: ActiveSpan) => Promise<T> | T): Promise<T> {
  const root = startTrace(name, options);
  const propagate = options.propagate !== false;
  if (propagate) propagatingTraces++;
  try {
    return await (propagate ? storage.run(root, () => fn(root)) : fn(root));
  } catch (error) {
    root.fail(error);
    throw error;
  } finally {
    if (propagate && --propagatingTraces === 0) storage.disable();
    await endTrace(root);
  }
}

/**
 * A root span for code that cannot run inside one callback (a stream consumed by someone else).
 * It never becomes the current span (as `propagate: false`); end it with `endTrace`.
 */
export function startTrace(name: string, options: Omit<RootSpanOptions, 'propagate'>): ActiveSpan {
  const state: TraceState = { traceId: timeOrderedTraceId(), tenantId: options.tenantId, spans: [], sink: options.sink };
  return new ActiveSpan(state, name, null, options.attributes ?? {}, rootSpanIdOf(state.traceId));
}

/** Ends a root span and hands its whole trace to the sink (failures reported, never thrown). */
export async function endTrace(root: ActiveSpan): Promise<void> {
  root.end();
  await flush(root.trace, root.record);
}

/** Runs `fn` in a child span of the current one; without a current span it just runs `fn`. */
export async function span<T>(
  name: string,
  attributes: SpanAttributes,
  fn: (span: ActiveSpan | undefined) => Promise<T> | T,
): Promise<T> {
  const parent = storage.getStore();
  if (!parent) return fn(undefined);
  const child = new ActiveSpan(parent.trace, name, parent.record.spanId, attributes);
  try {
    return await storage.run(child, () => fn(child));
  } catch (error) {
    child.fail(error);
    throw error;
  } finally {
    child.end();
  }
}

async function flush(state: TraceState, root: SpanRecord): Promise<void> {
  if (!state.sink) return;
  const record: TraceRecord = {
    traceId: state.traceId,
    tenantId: state.tenantId,
    name: root.name,
    startTime: root.startTime,
    durationMs: root.durationMs,
    status: root.status,
    // Parents end after their children, so sort by start for a readable waterfall.
    spans: [...state.spans].sort((a, b) => a.startTime - b.startTime),
  };
  try {
    await state.sink(record);
  } catch (error) {
    process.stderr.write(`plumb: could not store trace ${state.traceId}: ${(error as Error).message}\n`);
  }
}

const origin = Date.now() - performance.now();
/** Wall-clock milliseconds with sub-millisecond resolution. */
function wallClockMs(): number {
  return origin + performance.now();
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
