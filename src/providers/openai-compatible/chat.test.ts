import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIWireServer } from '../testing/index.ts';
import type { OpenAIWireServer, OpenAIWireScript } from '../testing/index.ts';
import { createOpenAICompatibleChat } from './chat.ts';
import { collectEvents as collect } from '../testing/stream-events.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: OpenAIWireScript): Promise<OpenAIWireServer> {
  server = await startOpenAIWireServer(script, { apiKey: 'sk-test-key' });
  return server;
}


const price = { inputPerMTok: 2, cachedInputPerMTok: 1, outputPerMTok: 8 };

describe('OpenAI-compatible chat: generate', () => {
  it('sends the documented request and maps text, usage, cached and reasoning tokens and cost', async () => {
    const s = await serve([
      { type: 'chat', text: 'Paris.', model: 'gpt-4o-2024-08-06', usage: { prompt_tokens: 1000, completion_tokens: 100, cached_tokens: 400, reasoning_tokens: 30 } },
    ]);
    const model = createOpenAICompatibleChat({ baseURL: `${s.baseURL}/`, apiKey: 'sk-test-key', model: 'gpt-4o', price, headers: { 'x-extra': '1' } });
    const response = await model.generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      temperature: 0,
      maxOutputTokens: 50,
      stop: ['\n\n'],
    });

    expect(response).toMatchObject({ text: 'Paris.', finishReason: 'stop', model: 'gpt-4o-2024-08-06', provider: 'openai-compatible', toolCalls: [] });
    expect(response.usage).toEqual({ inputTokens: 1000, outputTokens: 100, cachedInputTokens: 400, reasoningTokens: 30 });
    // 600 uncached × $2 + 400 cached × $1 + 100 output × $8, per million
    expect(response.cost.usd).toBeCloseTo((600 * 2 + 400 * 1 + 100 * 8) / 1e6, 12);

    const sent = s.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers['authorization']).toBe('Bearer sk-test-key');
    expect(sent.headers['x-extra']).toBe('1');
    expect(sent.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      temperature: 0,
      max_tokens: 50,
      stop: ['\n\n'],
    });
  });

  it('passes tool definitions out and tool calls back, and sends tool results in OpenAI shape', async () => {
    const s = await serve([{ type: 'chat', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] }, { type: 'chat', text: 'Sunny.' }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'local-model' });
    const tools = [{ name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];

    const first = await model.generate({ messages: [{ role: 'user', content: 'Weather in Paris?' }], tools, toolChoice: { name: 'get_weather' } });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(s.requests[0]?.body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: tools[0]!.parameters } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });

    await model.generate({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_1', content: '{"sky":"clear"}' },
      ],
      tools,
      toolChoice: 'auto',
    });
    expect(s.requests[1]?.body).toMatchObject({
      tool_choice: 'auto',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"clear"}' },
      ],
    });
  });

  it('maps finish reasons and counts usage itself when the server reports none', async () => {
    const s = await serve([{ type: 'chat', text: 'a b c', finishReason: 'length', usage: null }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'llama3.2', price });
    const response = await model.generate({ messages: [{ role: 'user', content: 'hello there' }] });
    expect(response.finishReason).toBe('length');
    expect(response.usage.outputTokens).toBe(3);
    expect(response.usage.inputTokens).toBeGreaterThan(2);
    expect(response.cost.usd).toBeGreaterThan(0);
  });

  it('prices known models from the list and unknown (local) models at zero', async () => {
    const s = await serve([
      { type: 'chat', text: 'x', usage: { prompt_tokens: 1_000_000, completion_tokens: 0 } },
      { type: 'chat', text: 'x', usage: { prompt_tokens: 1_000_000, completion_tokens: 0 } },
    ]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'gpt-4o-mini' });
    expect((await model.generate({ messages: [{ role: 'user', content: 'q' }] })).cost.usd).toBeCloseTo(0.15, 10);
    expect((await model.generate({ messages: [{ role: 'user', content: 'q' }], model: 'qwen2.5:7b' })).cost.usd).toBe(0);
    expect(s.requests[1]?.body).toMatchObject({ model: 'qwen2.5:7b' });
  });
});

describe('OpenAI-compatible chat: stream', () => {
  it('streams text deltas chunk by chunk, then one finish with usage from the last chunk', async () => {
    const s = await serve([{ type: 'chat', text: 'Hello brave new world', usage: { prompt_tokens: 20, completion_tokens: 4, cached_tokens: 10 } }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'gpt-4o', price });
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'hi' }] }));

    const texts = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
    expect(texts).toEqual(['Hello ', 'brave ', 'new ', 'world']);
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 20, outputTokens: 4, cachedInputTokens: 10 }, model: 'gpt-4o' });
    expect(finish?.type === 'finish' && finish.cost.usd).toBeCloseTo((10 * 2 + 10 * 1 + 4 * 8) / 1e6, 12);
    expect(s.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('streams tool-call deltas with id and name first, then argument pieces', async () => {
    const s = await serve([{ type: 'chat', toolCalls: [{ id: 'call_9', name: 'search', arguments: '{"q":"plumb"}' }] }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'gpt-4o' });
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'find' }], tools: [{ name: 'search', parameters: { type: 'object' } }] }));
    const deltas = events.filter((e) => e.type === 'tool-call-delta');
    expect(deltas[0]).toEqual({ type: 'tool-call-delta', index: 0, id: 'call_9', name: 'search', argumentsDelta: '' });
    expect(deltas.map((d) => d.argumentsDelta).join('')).toBe('{"q":"plumb"}');
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('counts usage itself when the stream carries none', async () => {
    const s = await serve([{ type: 'chat', text: 'one two', usage: null }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'llama3.2' });
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'count' }] }));
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 2 } });
  });

  it('fails when the stream is cut midway, ends without [DONE], or carries an error chunk', async () => {
    const s = await serve([
      { type: 'chat', text: 'one two three four', cutAfter: 3 },
      { type: 'chat', text: 'one two', omitDone: true },
      { type: 'chat', text: 'one two three', streamError: { after: 2, message: 'model crashed' } },
    ]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'm' });
    const request = { messages: [{ role: 'user' as const, content: 'go' }] };

    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/connection broke/) });
    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/\[DONE\]/) });
    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/model crashed/) });
  });

  it('honours an AbortSignal in the middle of a stream and stops the server stream', async () => {
    const s = await serve([{ type: 'chat', text: 'a b c d e f g h', delayMs: 30 }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'm' });
    const controller = new AbortController();
    const seen: string[] = [];
    const consume = async () => {
      for await (const event of model.stream({ messages: [{ role: 'user', content: 'go' }], signal: controller.signal })) {
        if (event.type === 'text-delta') seen.push(event.text);
        if (seen.length === 2) controller.abort(new Error('user left'));
      }
    };
    await expect(consume()).rejects.toThrow('user left');
    expect(seen).toHaveLength(2);
  });

  it('stops early without error when the consumer breaks out of the loop', async () => {
    const s = await serve([{ type: 'chat', text: 'a b c d e f', delayMs: 10 }, { type: 'chat', text: 'next' }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'm' });
    for await (const event of model.stream({ messages: [{ role: 'user', content: 'go' }] })) {
      if (event.type === 'text-delta') break;
    }
    // The connection was released: a following call works.
    expect((await model.generate({ messages: [{ role: 'user', content: 'again' }] })).text).toBe('next');
  });
});
