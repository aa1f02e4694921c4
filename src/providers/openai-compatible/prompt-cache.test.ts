import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../core/model.ts';
import { startOpenAIWireServer } from '../testing/index.ts';
import type { OpenAIWireScript, OpenAIWireServer } from '../testing/index.ts';
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


// OpenAI caches prompt prefixes of 1024+ tokens by itself; the hint has nothing to map to.
const messages: Message[] = [
  { role: 'system', content: 'A long, stable system prompt.', cacheBreakpoint: true },
  { role: 'user', content: 'Passages…', cacheBreakpoint: true },
  { role: 'assistant', content: 'Noted.', cacheBreakpoint: true },
  { role: 'user', content: 'Question?' },
];

describe('OpenAI-compatible prompt caching', () => {
  it('does not send the cache hint (no unknown fields), and prices cached prompt tokens at the cached rate', async () => {
    const s = await serve([{ type: 'chat', text: 'Answer.', usage: { prompt_tokens: 3000, completion_tokens: 20, cached_tokens: 2048 } }]);
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'gpt-4.1', price: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 } });
    const response = await model.generate({ messages });

    expect(s.requests[0]!.body).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'A long, stable system prompt.' },
        { role: 'user', content: 'Passages…' },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Question?' },
      ],
    });
    expect(s.requests[0]!.rawBody).not.toMatch(/cache/i);

    expect(response.usage).toEqual({ inputTokens: 3000, outputTokens: 20, cachedInputTokens: 2048 });
    // 952 uncached × $2 + 2048 cached × $0.50 + 20 output × $8, per million
    expect(response.cost.usd).toBeCloseTo((952 * 2 + 2048 * 0.5 + 20 * 8) / 1e6, 12);
  });

  it('prices cached tokens at the list cached-input rate end to end when streaming', async () => {
    const s = await serve([{ type: 'chat', text: 'Streamed answer.', usage: { prompt_tokens: 4096, completion_tokens: 10, cached_tokens: 4000 } }]);
    // No price override: gpt-4o-mini's list price, $0.15 input, $0.075 cached input, $0.60 output.
    const model = createOpenAICompatibleChat({ baseURL: s.baseURL, apiKey: 'sk-test-key', model: 'gpt-4o-mini' });
    const events = await collect(model.stream({ messages }));

    expect(s.requests[0]!.rawBody).not.toMatch(/cache/i);
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: 'finish', usage: { inputTokens: 4096, outputTokens: 10, cachedInputTokens: 4000 } });
    const usd = finish?.type === 'finish' ? finish.cost.usd : NaN;
    expect(usd).toBeCloseTo((96 * 0.15 + 4000 * 0.075 + 10 * 0.6) / 1e6, 12);
    // Cheaper than the same tokens all uncached.
    expect(usd).toBeLessThan((4096 * 0.15 + 10 * 0.6) / 1e6);
  });
});
