import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../core/model.ts';
import { startAnthropicWireServer } from '../testing/index.ts';
import type { AnthropicWireScript, AnthropicWireServer } from '../testing/index.ts';
import { MAX_CACHE_BREAKPOINTS } from './anthropic-request.ts';
import { createAnthropicChat } from './chat.ts';
import { collectEvents as collect } from '../testing/stream-events.ts';

let server: AnthropicWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = 'sk-ant-test-0123456789';
const EPHEMERAL = { type: 'ephemeral' };
// A price of our own, so the expected costs do not depend on the list prices.
const price = { inputPerMTok: 3, cachedInputPerMTok: 0.3, outputPerMTok: 15 };

async function modelFor(script: AnthropicWireScript) {
  server = await startAnthropicWireServer(script, { apiKey: KEY });
  return { s: server, model: createAnthropicChat({ baseURL: server.baseURL, apiKey: KEY, model: 'claude-sonnet-4-20250514', maxOutputTokens: 512, price }) };
}


/** How many `cache_control` markers the raw request body carries, wherever they are. */
function breakpointsIn(rawBody: string): number {
  return rawBody.split('"cache_control"').length - 1;
}

const ok = { type: 'message' as const, text: 'ok', usage: { input_tokens: 10, output_tokens: 1 } };

describe('Anthropic prompt caching: cache_control in the request', () => {
  it('sends no cache_control and a plain string system when no message asks for a breakpoint', async () => {
    const { s, model } = await modelFor([ok]);
    await model.generate({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
    expect(breakpointsIn(s.requests[0]!.rawBody)).toBe(0);
    expect(s.requests[0]!.body).toMatchObject({ system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
  });

  it('puts a system breakpoint on a system text block and leaves the messages unmarked', async () => {
    const { s, model } = await modelFor([ok]);
    const messages: Message[] = [
      { role: 'system', content: 'Answer from the passages.', cacheBreakpoint: true },
      { role: 'user', content: 'Question?' },
    ];
    await model.generate({ messages });
    expect(s.requests[0]!.body).toEqual({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 512,
      system: [{ type: 'text', text: 'Answer from the passages.', cache_control: EPHEMERAL }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Question?' }] }],
    });
    // The caller's messages are not touched.
    expect(messages[0]).toEqual({ role: 'system', content: 'Answer from the passages.', cacheBreakpoint: true });
  });

  it('joins the system messages up to a breakpoint into one marked block, the rest into an unmarked one', async () => {
    const { s, model } = await modelFor([ok, ok]);
    await model.generate({
      messages: [
        { role: 'system', content: 'A' },
        { role: 'system', content: 'B', cacheBreakpoint: true },
        { role: 'system', content: 'C' },
        { role: 'system', content: 'D' },
        { role: 'user', content: 'Q' },
      ],
    });
    expect((s.requests[0]!.body as Record<string, unknown>)['system']).toEqual([
      { type: 'text', text: 'A\n\nB', cache_control: EPHEMERAL },
      { type: 'text', text: 'C\n\nD' },
    ]);

    await model.generate({
      messages: [
        { role: 'system', content: 'A', cacheBreakpoint: true },
        { role: 'system', content: '' },
        { role: 'system', content: 'B', cacheBreakpoint: true },
        { role: 'user', content: 'Q' },
      ],
    });
    // No empty text block (the API rejects them); every breakpoint ends a block.
    expect((s.requests[1]!.body as Record<string, unknown>)['system']).toEqual([
      { type: 'text', text: 'A', cache_control: EPHEMERAL },
      { type: 'text', text: 'B', cache_control: EPHEMERAL },
    ]);
  });

  it('puts user, assistant and tool breakpoints on the last content block of that message, also inside merged turns', async () => {
    const { s, model } = await modelFor([ok]);
    await model.generate({
      messages: [
        { role: 'system', content: 'Sys', cacheBreakpoint: true },
        { role: 'user', content: 'Weather in Paris and Rome?', cacheBreakpoint: true },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [
            { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
          ],
          cacheBreakpoint: true,
        },
        // Both results go into one user turn; the breakpoint on the first lands mid-turn.
        { role: 'tool', toolCallId: 'toolu_1', content: 'Sunny', cacheBreakpoint: true },
        { role: 'tool', toolCallId: 'toolu_2', content: 'Rain' },
      ],
    });
    expect(s.requests[0]!.body).toMatchObject({
      system: [{ type: 'text', text: 'Sys', cache_control: EPHEMERAL }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?', cache_control: EPHEMERAL }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' }, cache_control: EPHEMERAL },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny', cache_control: EPHEMERAL },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'Rain' },
          ],
        },
      ],
    });
    const body = s.requests[0]!.body as { messages: { content: Record<string, unknown>[] }[] };
    // Exactly the four marked blocks, and nothing on the unmarked ones.
    expect(body.messages[1]!.content[0]).not.toHaveProperty('cache_control');
    expect(body.messages[1]!.content[1]).not.toHaveProperty('cache_control');
    expect(body.messages[2]!.content[1]).not.toHaveProperty('cache_control');
    expect(breakpointsIn(s.requests[0]!.rawBody)).toBe(4);
  });

  it('puts the breakpoint of a message that produced no block on the block before it (the same prefix)', async () => {
    const { s, model } = await modelFor([ok]);
    await model.generate({
      messages: [
        { role: 'user', content: 'Long document…' },
        { role: 'assistant', content: '', cacheBreakpoint: true },
        { role: 'user', content: 'Q' },
      ],
    });
    expect((s.requests[0]!.body as Record<string, unknown>)['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Long document…', cache_control: EPHEMERAL }, { type: 'text', text: 'Q' }] },
    ]);
  });

  it(`keeps at most ${MAX_CACHE_BREAKPOINTS} breakpoints: the first and the last three`, async () => {
    const { s, model } = await modelFor([ok, ok]);
    const turns: Message[] = [];
    for (let i = 1; i <= 6; i++) {
      turns.push({ role: 'user', content: `q${i}`, cacheBreakpoint: true }, { role: 'assistant', content: `a${i}` });
    }
    await model.generate({ messages: [{ role: 'system', content: 'Sys', cacheBreakpoint: true }, ...turns, { role: 'user', content: 'last' }] });

    const sent = s.requests[0]!;
    expect(breakpointsIn(sent.rawBody)).toBe(MAX_CACHE_BREAKPOINTS);
    const body = sent.body as { system: Record<string, unknown>[]; messages: { role: string; content: Record<string, unknown>[] }[] };
    expect(body.system).toEqual([{ type: 'text', text: 'Sys', cache_control: EPHEMERAL }]);
    const markedTexts = body.messages.flatMap((turn) => turn.content).filter((block) => 'cache_control' in block).map((block) => block['text']);
    expect(markedTexts).toEqual(['q4', 'q5', 'q6']);

    // Streaming builds the same body.
    await collect(model.stream({ messages: [{ role: 'system', content: 'Sys', cacheBreakpoint: true }, ...turns, { role: 'user', content: 'last' }] }));
    expect(s.requests[1]!.body).toMatchObject({ stream: true, system: body.system, messages: body.messages });
  });

  it('sends exactly four breakpoints unchanged', async () => {
    const { s, model } = await modelFor([ok]);
    await model.generate({
      messages: [
        { role: 'system', content: 'Sys', cacheBreakpoint: true },
        { role: 'user', content: 'q1', cacheBreakpoint: true },
        { role: 'assistant', content: 'a1', cacheBreakpoint: true },
        { role: 'user', content: 'q2', cacheBreakpoint: true },
      ],
    });
    expect(breakpointsIn(s.requests[0]!.rawBody)).toBe(4);
  });
});

describe('Anthropic prompt caching: usage and cost', () => {
  it('counts a cache write at 1.25 × input and a cache read at the cached rate, both inside inputTokens (generate)', async () => {
    const { model } = await modelFor([
      { type: 'message', text: 'first', usage: { input_tokens: 30, output_tokens: 5, cache_creation_input_tokens: 2000, cache_read_input_tokens: 0 } },
      { type: 'message', text: 'second', usage: { input_tokens: 30, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 2000 } },
    ]);
    const messages: Message[] = [
      { role: 'system', content: 'A long, stable system prompt.', cacheBreakpoint: true },
      { role: 'user', content: 'Q' },
    ];

    const write = await model.generate({ messages });
    expect(write.usage).toEqual({ inputTokens: 2030, outputTokens: 5, cacheWriteInputTokens: 2000 });
    expect(write.cost.usd).toBeCloseTo((30 * 3 + 2000 * 3.75 + 5 * 15) / 1e6, 12);

    const read = await model.generate({ messages });
    expect(read.usage).toEqual({ inputTokens: 2030, outputTokens: 5, cachedInputTokens: 2000 });
    expect(read.cost.usd).toBeCloseTo((30 * 3 + 2000 * 0.3 + 5 * 15) / 1e6, 12);
    expect(read.cost.usd).toBeLessThan(write.cost.usd / 5);
  });

  it('reads cache read and creation tokens from message_start when streaming', async () => {
    const { model } = await modelFor([
      { type: 'message', text: 'streamed answer', usage: { input_tokens: 12, output_tokens: 4, cache_creation_input_tokens: 300, cache_read_input_tokens: 1500 } },
    ]);
    const events = await collect(model.stream({ messages: [{ role: 'system', content: 'S', cacheBreakpoint: true }, { role: 'user', content: 'Q' }] }));
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', usage: { inputTokens: 1812, outputTokens: 4, cachedInputTokens: 1500, cacheWriteInputTokens: 300 } });
    expect(finish?.type === 'finish' ? finish.cost.usd : NaN).toBeCloseTo((12 * 3 + 300 * 3.75 + 1500 * 0.3 + 4 * 15) / 1e6, 12);
  });
});
