import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicWireServer } from '../testing/index.ts';
import type { AnthropicWireScript, AnthropicWireServer } from '../testing/index.ts';
import { createAnthropicChat } from './chat.ts';
import { collectEvents as collect } from '../testing/stream-events.ts';

let server: AnthropicWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = 'sk-ant-test-0123456789';

async function modelFor(script: AnthropicWireScript, extra: { timeoutMs?: number } = {}) {
  server = await startAnthropicWireServer(script, { apiKey: KEY });
  return { s: server, model: createAnthropicChat({ baseURL: server.baseURL, apiKey: KEY, model: 'claude-sonnet-4-20250514', maxOutputTokens: 512, ...extra }) };
}


const weatherTool = { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('Anthropic chat: generate', () => {
  it('sends system separately with the version and key headers, and maps text, stop reason and usage', async () => {
    const { s, model } = await modelFor([
      { type: 'message', text: 'Paris.', stopReason: 'end_turn', usage: { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 900, cache_creation_input_tokens: 50 } },
    ]);
    const response = await model.generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      temperature: 0.2,
      stop: ['END'],
    });
    expect(response).toMatchObject({ text: 'Paris.', finishReason: 'stop', provider: 'anthropic', model: 'claude-sonnet-4-20250514', toolCalls: [] });
    // input = uncached 100 + cache write 50 + cache read 900
    expect(response.usage).toEqual({ inputTokens: 1050, outputTokens: 10, cachedInputTokens: 900, cacheWriteInputTokens: 50 });
    // list price of claude-sonnet-4: $3 input, $0.30 cache read, $3.75 cache write (1.25 × input), $15 output
    expect(response.cost.usd).toBeCloseTo((100 * 3 + 50 * 3.75 + 900 * 0.3 + 10 * 15) / 1e6, 12);

    const sent = s.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(KEY);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['authorization']).toBeUndefined();
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 512,
      system: 'Be brief.\n\nAnswer in English.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] }],
      temperature: 0.2,
      stop_sequences: ['END'],
    });
  });

  it('maps tools to input_schema, tool_use blocks to tool calls, and tool results back to tool_result blocks', async () => {
    const { s, model } = await modelFor([
      { type: 'message', text: 'Checking.', toolUses: [{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }, { id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } }] },
      { type: 'message', text: 'Both sunny.' },
    ]);
    const first = await model.generate({ messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], toolChoice: 'required' });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.text).toBe('Checking.');
    expect(first.toolCalls).toEqual([
      { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
    ]);
    expect(s.requests[0]?.body).toMatchObject({
      tools: [{ name: 'get_weather', description: 'Weather now', input_schema: weatherTool.parameters }],
      tool_choice: { type: 'any' },
    });

    await model.generate({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'toolu_1', content: 'sunny' },
        { role: 'tool', toolCallId: 'toolu_2', content: 'sunny too' },
      ],
      tools: [weatherTool],
      toolChoice: { name: 'get_weather' },
    });
    expect(s.requests[1]?.body).toMatchObject({
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        // both results in one user turn, right after the tool_use turn
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'sunny too' },
          ],
        },
      ],
    });
  });

  it.each([
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
  ] as const)('maps stop_reason %s to %s', async (stopReason, finishReason) => {
    const { model } = await modelFor([{ type: 'message', text: 'x', stopReason }]);
    expect((await model.generate({ messages: [{ role: 'user', content: 'q' }] })).finishReason).toBe(finishReason);
  });
});

describe('Anthropic chat: stream', () => {
  it('streams text deltas and finishes with usage from message_start and message_delta', async () => {
    const { model } = await modelFor([
      { type: 'message', text: 'Hello brave world', usage: { input_tokens: 20, output_tokens: 3, cache_read_input_tokens: 80 }, delayMs: 1 },
    ]);
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []))).toEqual(['Hello ', 'brave ', 'world']);
    expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 100, outputTokens: 3, cachedInputTokens: 80 }, model: 'claude-sonnet-4-20250514' });
  });

  it('streams tool_use blocks as tool-call deltas numbered by tool call, not by content block', async () => {
    const { s, model } = await modelFor([
      { type: 'message', text: 'Let me look.', toolUses: [{ id: 'toolu_7', name: 'search', input: { q: 'plumb' } }, { id: 'toolu_8', name: 'now', input: {} }] },
    ]);
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'find' }], tools: [weatherTool] }));
    const deltas = events.filter((e) => e.type === 'tool-call-delta');
    expect(deltas[0]).toEqual({ type: 'tool-call-delta', index: 0, id: 'toolu_7', name: 'search', argumentsDelta: '' });
    expect(deltas.filter((d) => d.index === 0).map((d) => d.argumentsDelta).join('')).toBe('{"q":"plumb"}');
    expect(deltas.filter((d) => d.index === 1).map((d) => d.argumentsDelta).join('')).toBe('{}');
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
    expect(s.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('fails on an error event, a stream without message_stop, and a stream cut midway', async () => {
    const { model } = await modelFor([
      { type: 'message', text: 'one two three', streamError: { after: 4, type: 'overloaded_error', message: 'Overloaded' } },
      { type: 'message', text: 'one two', omitMessageStop: true },
      { type: 'message', text: 'one two three four', cutAfter: 5 },
      { type: 'message', text: 'one two', streamError: { after: 2, type: 'rate_limit_error', message: 'Too many' } },
    ]);
    const request = { messages: [{ role: 'user' as const, content: 'go' }] };
    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'upstream_error', retryable: true, message: expect.stringContaining('Overloaded') });
    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringContaining('message_stop') });
    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringContaining('connection broke') });
    await expect(collect(model.stream(request))).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringContaining('Too many') });
  });

  it('honours an AbortSignal mid-stream', async () => {
    const { model } = await modelFor([{ type: 'message', text: 'a b c d e f g', delayMs: 25 }]);
    const controller = new AbortController();
    let deltas = 0;
    const consume = async () => {
      for await (const event of model.stream({ messages: [{ role: 'user', content: 'go' }], signal: controller.signal })) {
        if (event.type === 'text-delta' && ++deltas === 2) controller.abort(new Error('stop now'));
      }
    };
    await expect(consume()).rejects.toThrow('stop now');
    expect(deltas).toBe(2);
  });
});

describe('Anthropic errors', () => {
  it.each([
    [400, 'invalid_request_error', 'bad_request'],
    [401, 'authentication_error', 'unauthorized'],
    [403, 'permission_error', 'forbidden'],
    [404, 'not_found_error', 'not_found'],
    [413, 'request_too_large', 'payload_too_large'],
    [500, 'api_error', 'upstream_error'],
    [529, 'overloaded_error', 'upstream_error'],
  ] as const)('maps %i %s to %s with Anthropic’s message', async (status, errorType, code) => {
    const { model } = await modelFor([{ type: 'error', status, errorType, message: `anthropic says ${errorType}` }]);
    const err = await model.generate({ messages: [{ role: 'user', content: 'q' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, message: expect.stringContaining(`anthropic says ${errorType}`), details: { providerErrorType: errorType, requestId: 'req_wire' } });
  });

  it('maps 429 with Retry-After, and a wrong key to unauthorized without leaking the key', async () => {
    const { model, s } = await modelFor([{ type: 'error', status: 429, errorType: 'rate_limit_error', message: 'Slow down', headers: { 'retry-after': '12' } }]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 12 });
    const wrongKey = createAnthropicChat({ baseURL: s.baseURL, apiKey: 'sk-ant-wrong-key-999', model: 'claude-3-5-haiku-latest' });
    const err = await wrongKey.generate({ messages: [{ role: 'user', content: 'q' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthorized', hint: expect.stringContaining('API key') });
    expect(JSON.stringify(err)).not.toContain('sk-ant-wrong-key-999');
  });

  it('times out a request that hangs', async () => {
    const { model } = await modelFor([{ type: 'hang' }], { timeoutMs: 150 });
    await expect(model.generate({ messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ code: 'upstream_timeout' });
  });
});
