// Plumb.chat traces without AsyncLocalStorage (RootSpanOptions.propagate: false) and hands the
// trace id down explicitly: the ledger row must still name its trace. A successful call's row
// stands for its trace (store/sqlite/ledger-traces.ts): one row stored, the trace read from it.
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { SAMPLE_DOCS } from '../../testing/temp-plumb.ts';
import { wireGatewayPlumb } from '../../testing/wire-gateway-plumb.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('a gateway chat call', () => {
  it('books a ledger row that names the trace it stored, streamed or not', async () => {
    const { plumb, close } = await wireGatewayPlumb();
    closers.push(close);
    const response = await plumb.chat({ messages: [{ role: 'user', content: 'Say hi.' }] }, { model: 'fast', tenantId: 'acme' });
    expect(response.text).toBe('Hi.');
    const rows = await plumb.store.listLedger('acme');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    const traced = await plumb.getTrace(rows[0]!.traceId!, { tenantId: 'acme' });
    expect(traced.name).toBe('chat');
    expect(traced.spans[0]!.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 });

    // A stream is traced too, and its row names its own trace.
    let text = '';
    for await (const event of plumb.chatStream({ messages: [{ role: 'user', content: 'Say hi again.' }] }, { model: 'fast', tenantId: 'acme' })) {
      if (event.type === 'text-delta') text += event.text;
    }
    expect(text).toBe('Hi.');
    const streamedRow = (await plumb.store.listLedger('acme', { order: 'desc' }))[0]!;
    expect(streamedRow.streamed).toBe(true);
    expect(streamedRow.traceId).not.toBe(rows[0]!.traceId);
    const streamedTrace = await plumb.getTrace(streamedRow.traceId!, { tenantId: 'acme' });
    expect(streamedTrace.spans[0]!.attributes).toMatchObject({ 'plumb.streamed': true, 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 });
  });

  it('stores one row per successful call: the trace is read back from the ledger, listed once, with the span id the collector got', async () => {
    const { plumb, close } = await wireGatewayPlumb();
    closers.push(close);
    const db = (plumb.store as SqliteStore).db;
    const storedTraces = () => (db.prepare('SELECT trace_id, status FROM traces WHERE tenant_id = ?').all('acme') as Array<{ trace_id: string; status: string }>);

    const ok = await plumb.chat({ messages: [{ role: 'user', content: 'Say hi.' }] }, { model: 'fast', tenantId: 'acme' });
    let streamedTraceId = '';
    for await (const event of plumb.chatStream({ messages: [{ role: 'user', content: 'Say hi again.' }] }, { model: 'fast', tenantId: 'acme' })) {
      if (event.type === 'finish') streamedTraceId = String(event.metadata?.['traceId']);
    }
    await expect(plumb.chat({ messages: [{ role: 'user', content: 'Please fail.' }] }, { model: 'fast', tenantId: 'acme' })).rejects.toThrow(/refused/);
    await plumb.addDocuments(SAMPLE_DOCS, { tenantId: 'acme' });
    const answer = await plumb.ask('Which port does the server listen on?', { tenantId: 'acme' });

    const okTraceId = String(ok.metadata?.['traceId']);
    await plumb.listTraces({ tenantId: 'acme' }); // writes the queued traces
    const rows = await plumb.store.listLedger('acme');
    const rowOf = (traceId: string) => rows.find((row) => row.traceId === traceId && row.id === traceId);
    expect(rowOf(okTraceId)?.status).toBe('ok');
    expect(rowOf(streamedTraceId)?.streamed).toBe(true);
    // Stored as traces: the failed call (with its message) and the RAG answer; not the two successful calls.
    const failedRow = rows.find((row) => row.status !== 'ok')!;
    expect(storedTraces().map((t) => t.trace_id).sort()).toEqual([failedRow.traceId, answer.traceId].sort());
    // The RAG answer's model call is booked under its own id, inside the answer's trace.
    const answerRow = rows.find((row) => row.traceId === answer.traceId)!;
    expect(answerRow.id).not.toBe(answer.traceId);

    const traced = await plumb.getTrace(okTraceId, { tenantId: 'acme' });
    expect(traced).toMatchObject({ traceId: okTraceId, name: 'chat', status: 'ok' });
    expect(traced.spans).toHaveLength(1);
    expect(traced.spans[0]!.spanId).toBe(okTraceId.slice(-16));
    expect(traced.spans[0]!.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'fast', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 });
    expect((await plumb.getTrace(streamedTraceId, { tenantId: 'acme' })).spans[0]!.attributes).toMatchObject({ 'plumb.streamed': true });
    const failed = await plumb.getTrace(failedRow.traceId!, { tenantId: 'acme' });
    expect(failed.spans[0]!.statusMessage).toMatch(/refused/);
    // Another tenant sees none of it.
    await expect(plumb.getTrace(okTraceId, { tenantId: 'other' })).rejects.toMatchObject({ code: 'not_found' });

    const listed = await plumb.listTraces({ tenantId: 'acme', limit: 10 });
    expect(listed.map((t) => t.traceId).sort()).toEqual([okTraceId, streamedTraceId, failedRow.traceId!, answer.traceId].sort());
    expect(listed.map((t) => t.startTime)).toEqual([...listed.map((t) => t.startTime)].sort((a, b) => b - a));
    expect(listed.find((t) => t.traceId === okTraceId)).toMatchObject({ name: 'chat', status: 'ok', spanCount: 1 });
    expect(await plumb.listTraces({ tenantId: 'acme', limit: 2 })).toHaveLength(2);
  });
});
