import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer, type OpenAIWireServer } from '../../providers/testing/index.ts';
import { generateWithLlm } from './llm-generator.ts';
import { parseGenerationReply } from './llm-generation-reply.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const passage =
  'Acme was founded in 1998 by two engineers in Lyon. The Acme index has 12 shards spread across three machines, ' +
  'and every shard keeps a copy of the term dictionary so that a query never waits on another machine for it.';
const reply = (items: unknown): { type: 'chat'; text: string } => ({ type: 'chat', text: JSON.stringify({ items }) });

describe('parseGenerationReply', () => {
  it('reads fenced or bare JSON and reports what is wrong otherwise', () => {
    expect(parseGenerationReply('```json\n[{"question":"q?","answer":"a","evidence":"e"}]\n```')).toEqual({ ok: true, items: [{ question: 'q?', answer: 'a', evidence: 'e' }] });
    expect(parseGenerationReply('Sure! {"items": [')).toMatchObject({ ok: false, problem: expect.stringContaining('no JSON') });
    expect(parseGenerationReply('{"items": [{"question": "q?"}]}')).toMatchObject({ ok: false, problem: expect.stringContaining('items.0.answer') });
  });
});

describe('generateWithLlm', () => {
  it('retries an invalid reply once, filters unsupported and self-answering items, and dedupes', async () => {
    server = await startOpenAIWireServer([
      { type: 'chat', text: 'Here are your questions: {"items": [{"question": "When was Acme' },
      reply([
        { question: 'When was Acme founded?', answer: '1998', evidence: 'Acme was founded in 1998 by two engineers in Lyon.' },
        { question: 'When was the company Acme founded?', answer: '1998', evidence: 'Acme was founded in 1998.' },
        { question: 'How many shards does the Acme index have?', answer: '12', evidence: 'made-up evidence text that is not there' },
        { question: 'Who owns Acme?', answer: 'Globex Corporation', evidence: 'Acme is owned by Globex.' },
        { question: 'Was Acme founded in 1998?', answer: '1998', evidence: 'Acme was founded in 1998 by two engineers in Lyon.' },
      ]),
    ]);
    const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gen-model' });
    const { cases, stats } = await generateWithLlm({
      model,
      documents: [{ documentId: 'acme', text: passage }],
      count: 10,
      questionsPerChunk: 5,
    });

    expect(server.requests).toHaveLength(2);
    const retry = (server.requests[1]?.body as { messages: Array<{ role: string; content: string }> }).messages;
    expect(retry.at(-1)?.content).toContain('could not be used');
    expect(cases.map((c) => c.question)).toEqual(['When was Acme founded?', 'How many shards does the Acme index have?']);
    expect(cases[0]).toMatchObject({ referenceAnswer: '1998', relevantDocumentIds: { acme: 1 }, tags: ['synthetic', 'llm'], goldPassages: ['Acme was founded in 1998 by two engineers in Lyon.'] });
    // evidence not in the chunk: the chunk's sentence holding the answer becomes the gold passage.
    expect(cases[1]?.goldPassages?.[0]).toMatch(/^The Acme index has 12 shards/);
    expect(stats).toMatchObject({ modelCalls: 2, invalidReplies: 1, chunksSkipped: 0, itemsGenerated: 5, dropped: { duplicate: 1, answer_not_in_chunk: 1, answer_in_question: 1 } });
  });

  it('skips a chunk whose retry is invalid too', async () => {
    const second = passage.replace(/Acme/g, 'Initech');
    server = await startOpenAIWireServer((request) => {
      const user = JSON.stringify(request.body);
      if (user.includes('Initech')) return { type: 'chat', text: 'not json at all' };
      return reply([{ question: 'When was Acme founded?', answer: '1998', evidence: 'Acme was founded in 1998 by two engineers in Lyon.' }]);
    });
    const model = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gen-model' });
    const { cases, stats } = await generateWithLlm({
      model,
      documents: [{ documentId: 'initech', text: second }, { documentId: 'acme', text: passage }],
      count: 5,
      concurrency: 1,
      embedder: null,
    });
    expect(cases.map((c) => c.question)).toEqual(['When was Acme founded?']);
    expect(stats.chunksPrompted).toBe(2);
    expect(stats.chunksSkipped).toBe(1);
    expect(stats.invalidReplies).toBe(2);
  });
});
