/**
 * Which finished traces are kept (stored and exported) when `tracing.sampleRate` is below 1: RAG
 * answers store many spans each, and at high traffic a sample keeps the waterfall view for less.
 * (A successful gateway call's trace is its ledger row and stays readable; the sample decides
 * only whether it is exported.) The cost ledger is never sampled: its rows are the bill.
 *
 * The decision is the trace id's, as OpenTelemetry's TraceIdRatioBased sampler makes it: the id's
 * random low bits read as a number in [0, 1), kept below the rate. One trace is kept or dropped
 * alike in the store and at the collector, and a rate raised later keeps a superset. Traces that
 * ended in an error are always kept: they are the ones someone comes looking for. The
 * OpenTelemetry variables (OTEL_TRACES_SAMPLER, _ARG) are read in config/otlp-env.ts.
 */
import type { TraceRecord } from '../core/trace.ts';

/** The last 13 hex digits (52 bits, so the fraction stays exact and below 1) of a trace id, in [0, 1). */
export function traceIdFraction(traceId: string): number {
  const low = Number.parseInt(traceId.slice(-13), 16);
  return Number.isFinite(low) ? low / 2 ** 52 : 0;
}

/** True when `trace` is kept at `sampleRate` (0–1). */
export function keepsTrace(trace: Pick<TraceRecord, 'traceId' | 'status'>, sampleRate: number): boolean {
  if (sampleRate >= 1 || trace.status === 'error') return true;
  return traceIdFraction(trace.traceId) < sampleRate;
}
