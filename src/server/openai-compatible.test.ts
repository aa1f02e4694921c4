import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plumb } from '../plumb.ts';
import { SAMPLE_DOCS, tempPlumb } from '../testing/temp-plumb.ts';
import { startServer, type RunningServer } from './start-server.ts';

let plumb: Plumb;
let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  ({ plumb } = await tempPlumb());
  await plumb.addDocuments(SAMPLE_DOCS, { waitForVectors: true });
  server = await startServer(plumb, { port: 0 });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-in-open-local-mode', maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await server.close();
  await plumb.close();
});

describe('the official openai client against plumb', () => {
  it('gets a grounded answer from plumb-rag', async () => {
    const completion = await client.chat.completions.create({
      model: 'plumb-rag',
      messages: [{ role: 'user', content: 'How are API keys stored?' }],
    });
    const text = completion.choices[0]!.message.content ?? '';
    expect(text).toContain('SHA-256');
    expect(text).toMatch(/\[1\]/);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    const extra = (completion as unknown as { plumb: { citations: Array<{ documentId: string }>; traceId: string } }).plumb;
    expect(extra.citations[0]!.documentId).toBe('keys');
    expect(extra.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('streams plumb-rag chunks, with usage when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'plumb-rag',
      messages: [{ role: 'user', content: 'What port does the server listen on by default?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toContain('8787');
    expect(finish).toBe('stop');
    expect(usage!.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens);
  });

  it('talks to the configured chat model as plumb-chat', async () => {
    const completion = await client.chat.completions.create({
      model: 'plumb-chat',
      messages: [{ role: 'user', content: '[1] The sky over Lisbon was clear on Monday.\n\nQuestion: How was the sky over Lisbon?' }],
    });
    expect(completion.choices[0]!.message.role).toBe('assistant');
    expect(completion.model).toBe(plumb.chatModel.modelId);
  });

  it('rejects an unknown model with a clear 404', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('unknown model "gpt-9"'),
    });
  });

  it('embeds through /v1/embeddings (the client asks for base64 by default)', async () => {
    const result = await client.embeddings.create({ model: 'plumb-embed', input: ['port 8787', 'API keys are hashed'] });
    expect(result.data).toHaveLength(2);
    const [a, b] = result.data.map((d) => d.embedding);
    expect(a).toHaveLength(plumb.embedder!.dimensions);
    const norm = Math.sqrt(a!.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 3);
    expect(a).not.toEqual(b);
    const direct = await plumb.embed(['port 8787']);
    expect(a![0]).toBeCloseTo(direct.vectors[0]![0]!, 5);

    const floats = await client.embeddings.create({ model: 'plumb-embed', input: 'port 8787', encoding_format: 'float' });
    expect(floats.data[0]!.embedding[0]).toBeCloseTo(a![0]!, 5);
  });
});
