// Plumb.chat traces without AsyncLocalStorage (RootSpanOptions.propagate: false) and hands the
// trace id down explicitly: the ledger row must still name its trace.
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import { tempPlumb } from '../../testing/temp-plumb.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('a gateway chat call', () => {
  it('books a ledger row that names the trace it stored, streamed or not', async () => {
    const upstream = await startOpenAIWireServer(() => ({ type: 'chat', text: 'Hi.', usage: { prompt_tokens: 10, completion_tokens: 2 } }));
    closers.push(() => upstream.close());
    const { plumb } = await tempPlumb({
      embeddings: { provider: 'none' },
      gateway: { providers: { wire: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { fast: { provider: 'wire', model: 'm' } } },
    });
    closers.push(() => plumb.close());
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
});
