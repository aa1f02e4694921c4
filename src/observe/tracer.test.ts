import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../core/trace.ts';
import { currentSpan, span, trace } from './tracer.ts';

describe('tracer', () => {
  it('nests spans through async code without passing a tracer', async () => {
    const traces: TraceRecord[] = [];
    const deepStep = async () => span('embed', { 'gen_ai.operation.name': 'embeddings' }, async (s) => {
      await new Promise((r) => setTimeout(r, 5));
      s?.setAttribute('gen_ai.usage.input_tokens', 7);
      return 'vec';
    });
    const result = await trace('rag.query', { tenantId: 't1', sink: (t) => void traces.push(t) }, async () =>
      span('retrieve', {}, async () => deepStep()),
    );
    expect(result).toBe('vec');
    expect(traces).toHaveLength(1);
    const t = traces[0]!;
    expect(t.tenantId).toBe('t1');
    expect(t.spans.map((s) => s.name)).toEqual(['rag.query', 'retrieve', 'embed']);
    const [root, retrieve, embed] = t.spans;
    expect(retrieve!.parentSpanId).toBe(root!.spanId);
    expect(embed!.parentSpanId).toBe(retrieve!.spanId);
    expect(embed!.attributes['gen_ai.usage.input_tokens']).toBe(7);
    expect(embed!.durationMs).toBeGreaterThanOrEqual(4);
    expect(root!.durationMs).toBeGreaterThanOrEqual(embed!.durationMs);
    expect(new Set(t.spans.map((s) => s.traceId))).toEqual(new Set([t.traceId]));
  });

  it('keeps concurrent traces apart', async () => {
    const traces: TraceRecord[] = [];
    const sink = (t: TraceRecord) => void traces.push(t);
    await Promise.all(
      ['a', 'b'].map((tenantId) =>
        trace('req', { tenantId, sink }, async () => {
          await span(`step-${tenantId}`, {}, () => new Promise((r) => setTimeout(r, 3)));
        }),
      ),
    );
    for (const t of traces) {
      expect(t.spans.map((s) => s.name)).toEqual(['req', `step-${t.tenantId}`]);
    }
  });

  it('keeps recording a running trace when another one ends first (the storage stays on while any runs)', async () => {
    const traces: TraceRecord[] = [];
    const sink = (t: TraceRecord) => void traces.push(t);
    let releaseLong: () => void = () => undefined;
    const longGate = new Promise<void>((resolve) => (releaseLong = resolve));
    const long = trace('long', { tenantId: 'a', sink }, async () => {
      await longGate;
      await span('after-the-short-one-ended', {}, () => new Promise((r) => setTimeout(r, 1)));
    });
    await trace('short', { tenantId: 'b', sink }, async () => {
      await span('quick', {}, () => undefined);
    });
    releaseLong();
    await long;
    expect(traces.map((t) => [t.name, t.spans.map((s) => s.name)])).toEqual([
      ['short', ['short', 'quick']],
      ['long', ['long', 'after-the-short-one-ended']],
    ]);
    // With no trace running, nothing is current, and a new trace records again.
    expect(currentSpan()).toBeUndefined();
    await trace('again', { tenantId: 'c', sink }, async () => {
      await span('step', {}, () => undefined);
    });
    expect(traces.at(-1)!.spans.map((s) => s.name)).toEqual(['again', 'step']);
  });

  it('marks failed spans and still stores the trace', async () => {
    const traces: TraceRecord[] = [];
    await expect(
      trace('req', { tenantId: 't', sink: (t) => void traces.push(t) }, () =>
        span('generate', {}, () => {
          throw Object.assign(new Error('upstream down'), { code: 'upstream_error' });
        }),
      ),
    ).rejects.toThrow('upstream down');
    const spans = traces[0]!.spans;
    expect(spans.every((s) => s.status === 'error')).toBe(true);
    expect(spans[1]!.attributes['error.type']).toBe('upstream_error');
  });

  it('span() without a trace just runs the function', async () => {
    expect(currentSpan()).toBeUndefined();
    expect(await span('x', {}, (s) => (s === undefined ? 'untraced' : 'traced'))).toBe('untraced');
  });

  it('a failing sink never fails the traced request', async () => {
    const value = await trace('req', { tenantId: 't', sink: () => Promise.reject(new Error('disk full')) }, () => 42);
    expect(value).toBe(42);
  });

  it('a root with propagate: false is stored but is not the current span (no AsyncLocalStorage)', async () => {
    const stored: TraceRecord[] = [];
    let inside: unknown = 'unset';
    const traceId = await trace('chat', { tenantId: 't', sink: (t) => void stored.push(t), propagate: false, attributes: { a: 1 } }, async (root) => {
      inside = currentSpan();
      await span('child', {}, () => undefined); // nothing to attach to: not recorded
      root.setAttribute('b', 2);
      return root.traceId;
    });
    expect(inside).toBeUndefined();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.traceId).toBe(traceId);
    expect(stored[0]!.spans.map((s) => [s.name, s.attributes])).toEqual([['chat', { a: 1, b: 2 }]]);
  });
});
