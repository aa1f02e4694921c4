// The official `openai` SDK as the client: proof that the wire server speaks the format the real
// SDK accepts, so tests built on it (ours, the gateway's) test against OpenAI's actual shapes.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIWireServer } from './openai-wire-server.ts';
import type { OpenAIWireServer } from './openai-wire-server.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('OpenAI wire server with the official openai SDK as client', () => {
  it('answers a non-streamed chat completion the SDK parses, including tool calls and usage', async () => {
    server = await startOpenAIWireServer(
      [{ type: 'chat', text: 'Hi!', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"id":7}' }], usage: { prompt_tokens: 12, completion_tokens: 5, cached_tokens: 4 } }],
      { apiKey: 'sk-wire' },
    );
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-wire', maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

    expect(completion.choices[0]?.message.content).toBe('Hi!');
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } });
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 } });
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-wire');
  });

  it('streams chunks the SDK iterates, ending with a usage chunk', async () => {
    server = await startOpenAIWireServer([{ type: 'chat', text: 'one two three', usage: { prompt_tokens: 3, completion_tokens: 3 } }]);
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'any', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('one two three');
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3 });
  });

  it('serves embeddings the SDK decodes (it asks for base64 by default)', async () => {
    server = await startOpenAIWireServer([{ type: 'embeddings', vectors: [[0.5, -0.25, 1]] }]);
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'any', maxRetries: 0 });
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['x'] });
    expect(result.data[0]?.embedding).toEqual([0.5, -0.25, 1]);
  });

  it('sends errors in the shape the SDK turns into its typed errors', async () => {
    server = await startOpenAIWireServer([{ type: 'error', status: 429, message: 'Rate limit reached', errorType: 'requests', code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } }]);
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'any', maxRetries: 0 });
    const err = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: expect.stringContaining('Rate limit reached') });
  });
});
