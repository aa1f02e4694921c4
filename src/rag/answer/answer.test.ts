import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/trace.ts';
import { ExtractiveAnswerer } from './extractive-answerer.ts';
import { trace } from '../../observe/tracer.ts';
import { ABSTENTION_TEXT } from './abstention.ts';
import { answerQuestion, streamAnswer, type Answer } from './answer.ts';
import { retrievedChunks } from './retrieved-chunk.fixture.ts';

const chunks = retrievedChunks([
  {
    id: 'eiffel',
    title: 'Eiffel Tower',
    source: 'docs/eiffel.md',
    charStart: 200,
    text: 'The Eiffel Tower is a wrought-iron lattice tower in Paris. It was completed in 1889 for the World Fair. The tower is 330 metres tall.',
  },
  { id: 'seine', title: 'The Seine', text: 'The Seine is a river that flows through Paris before reaching the English Channel.' },
]);
const model = new ExtractiveAnswerer();

async function traced<T>(fn: () => Promise<T>): Promise<{ result: T; record: TraceRecord }> {
  const records: TraceRecord[] = [];
  const result = await trace('rag.query', { tenantId: 't1', sink: (r) => void records.push(r) }, fn);
  expect(records).toHaveLength(1);
  return { result, record: records[0]! };
}

function expectGenerateSpan(record: TraceRecord, answer: Answer): void {
  const root = record.spans.find((s) => s.parentSpanId === null)!;
  const names = record.spans.map((s) => s.name);
  expect(names).toEqual(['rag.query', 'rag.build_prompt', 'generate']);
  const generate = record.spans.find((s) => s.name === 'generate')!;
  expect(generate.parentSpanId).toBe(root.spanId);
  expect(generate.status).toBe('ok');
  expect(generate.attributes).toMatchObject({
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': 'plumb-offline',
    'gen_ai.request.model': 'extractive-v1',
    'gen_ai.usage.input_tokens': answer.usage.inputTokens,
    'gen_ai.usage.output_tokens': answer.usage.outputTokens,
    'gen_ai.response.finish_reasons': ['stop'],
    'plumb.cost.usd': 0,
  });
  const build = record.spans.find((s) => s.name === 'rag.build_prompt')!;
  expect(build.attributes).toMatchObject({ 'plumb.rag.passages_used': 2, 'plumb.rag.passages_dropped': 0, 'plumb.rag.prompt_tokens': answer.promptTokens });
}

describe('answerQuestion', () => {
  it('answers with citations mapped to chunks and records a generate span in the trace', async () => {
    const { result: answer, record } = await traced(() =>
      answerQuestion({ model, question: 'How tall is the Eiffel Tower in metres?', chunks, budgetTokens: 2000 }),
    );
    expect(answer.text).toContain('The tower is 330 metres tall. [1]');
    expect(answer.abstained).toBe(false);
    expect(answer.invalidCitations).toEqual([]);
    expect(answer.citations).toHaveLength(1);
    const [citation] = answer.citations;
    expect(citation).toMatchObject({ n: 1, chunkId: 'eiffel', title: 'Eiffel Tower', source: 'docs/eiffel.md', snippet: 'The tower is 330 metres tall.' });
    expect(citation!.charStart).toBe(200 + chunks[0]!.chunk.text.indexOf('The tower is 330'));
    expect(answer.usage.inputTokens).toBe(answer.promptTokens);
    expect(answer).toMatchObject({ provider: 'plumb-offline', model: 'extractive-v1', cost: { usd: 0 }, finishReason: 'stop' });
    expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
    expect(answer.passages.map((p) => p.chunkId)).toEqual(['eiffel', 'seine']);
    expectGenerateSpan(record, answer);
  });

  it('reports an abstention with no citations', async () => {
    const answer = await answerQuestion({ model, question: 'Who wrote the novel Moby-Dick?', chunks, budgetTokens: 2000 });
    expect(answer.text).toBe(ABSTENTION_TEXT);
    expect(answer.abstained).toBe(true);
    expect(answer.citations).toEqual([]);
  });

  it('says which chunks the budget left out', async () => {
    const full = await answerQuestion({ model, question: 'How tall is the Eiffel Tower?', chunks: chunks.slice(0, 1), budgetTokens: 2000 });
    const answer = await answerQuestion({ model, question: 'How tall is the Eiffel Tower?', chunks, budgetTokens: full.promptTokens });
    expect(answer.droppedChunkIds).toEqual(['seine']);
    expect(answer.promptTokens).toBeLessThanOrEqual(full.promptTokens);
  });

  it('marks the generate span as failed when the model call fails', async () => {
    const controller = new AbortController();
    controller.abort();
    const records: TraceRecord[] = [];
    await expect(
      trace('rag.query', { tenantId: 't1', sink: (r) => void records.push(r) }, () =>
        answerQuestion({ model, question: 'How tall is it?', chunks, budgetTokens: 2000, signal: controller.signal }),
      ),
    ).rejects.toThrow();
    expect(records[0]!.spans.find((s) => s.name === 'generate')?.status).toBe('error');
  });
});

describe('streamAnswer', () => {
  it('streams deltas that add up to the final answer, inside a traced generate span', async () => {
    const { result, record } = await traced(async () => {
      const deltas: string[] = [];
      let done: Answer | undefined;
      for await (const event of streamAnswer({ model, question: 'How tall is the Eiffel Tower in metres?', chunks, budgetTokens: 2000 })) {
        if (event.type === 'delta') deltas.push(event.text);
        else done = event.answer;
      }
      return { deltas, done };
    });
    const answer = result.done!;
    expect(result.deltas.length).toBeGreaterThan(3);
    expect(result.deltas.join('')).toBe(answer.text);
    const direct = await answerQuestion({ model, question: 'How tall is the Eiffel Tower in metres?', chunks, budgetTokens: 2000 });
    expect(answer.text).toBe(direct.text);
    expect(answer.citations).toEqual(direct.citations);
    expectGenerateSpan(record, answer);
  });

  it('stops the model when the consumer stops reading', async () => {
    const records: TraceRecord[] = [];
    await trace('rag.query', { tenantId: 't1', sink: (r) => void records.push(r) }, async () => {
      for await (const event of streamAnswer({ model, question: 'How tall is the Eiffel Tower?', chunks, budgetTokens: 2000 })) {
        if (event.type === 'delta') break;
      }
    });
    const spans = records[0]!.spans;
    const root = spans.find((s) => s.parentSpanId === null)!;
    const generate = spans.find((s) => s.name === 'generate');
    // Abandoned after one word, the generate span still ends inside its trace instead of leaking out of it.
    expect(generate).toBeDefined();
    expect(generate!.endTime).toBeLessThanOrEqual(root.endTime);
  });
});
