import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlumb as createPlumbFromPackage } from 'plumb';
import { PlumbError } from './core/errors.ts';
import type { Plumb } from './plumb.ts';
import { startAnthropicWireServer, startOpenAIWireServer } from './providers/testing/index.ts';
import { startServer } from './server/start-server.ts';
import { SAMPLE_DOCS, tempDir, tempPlumb } from './testing/temp-plumb.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function plumbWith(config: Parameters<typeof tempPlumb>[0]): Promise<Plumb> {
  const { plumb } = await tempPlumb({ embeddings: { provider: 'none' }, ...config });
  closers.push(() => plumb.close());
  await plumb.addDocuments(SAMPLE_DOCS);
  return plumb;
}

describe('createPlumb', () => {
  it('is importable as the package "plumb" and works end to end', async () => {
    const plumb = await createPlumbFromPackage({ config: { dataDir: tempDir(), embeddings: { provider: 'none' } }, env: {} });
    closers.push(() => plumb.close());
    await plumb.addDocuments([{ id: 'a', text: 'The warranty lasts two years from the date of purchase.' }]);
    const result = await plumb.ask('How long does the warranty last?');
    expect(result.answer.text).toContain('two years');
    expect(result.answer.citations[0]!.documentId).toBe('a');
  });

  it('rejects a bad configuration given in code, naming the key', async () => {
    await expect(createPlumbFromPackage({ config: { retrieval: { k: 0 } }, env: {} })).rejects.toThrow(/retrieval\.k/);
    await expect(createPlumbFromPackage({ config: { answer: { provider: 'anthropic', model: 'claude-x' } }, env: {} })).rejects.toThrow(PlumbError);
  });
});

describe('answers from an OpenAI-compatible LLM (local wire-format server)', () => {
  it('sends the retrieved passages and maps the [n] citations back to chunks', async () => {
    const llm = await startOpenAIWireServer([{ type: 'chat', text: 'The server listens on port 8787 by default [1].', usage: { prompt_tokens: 900, completion_tokens: 12 } }], { apiKey: 'sk-test' });
    closers.push(() => llm.close());
    const plumb = await plumbWith({
      answer: { provider: 'openai-compatible', baseUrl: llm.baseURL, apiKey: 'sk-test', model: 'gpt-4o-mini', price: { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
    });
    const result = await plumb.ask('What port does the server use?');
    expect(result.answer.text).toBe('The server listens on port 8787 by default [1].');
    expect(result.answer.citations).toHaveLength(1);
    expect(result.answer.citations[0]!.documentId).toBe('ports');
    expect(result.answer.usage).toMatchObject({ inputTokens: 900, outputTokens: 12 });
    expect(result.answer.cost.usd).toBeCloseTo((900 * 0.15 + 12 * 0.6) / 1e6, 12);

    const sent = llm.requests[0]!.body as { model: string; messages: Array<{ role: string; content: string }> };
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.messages[0]!.role).toBe('system');
    const prompt = sent.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('Set the PORT environment variable');
    expect(prompt).toContain('What port does the server use?');
    expect(llm.requests[0]!.headers.authorization).toBe('Bearer sk-test');

    const trace = await plumb.getTrace(result.traceId);
    const generate = trace.spans.find((s) => s.name === 'generate')!;
    expect(generate.attributes).toMatchObject({ 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 900, 'gen_ai.usage.output_tokens': 12 });
    // Secrets never reach stored traces.
    expect(JSON.stringify(trace)).not.toContain('sk-test');
  });

  it('turns a provider 429 into an HTTP 429 with Retry-After', async () => {
    const llm = await startOpenAIWireServer([{ type: 'error', status: 429, message: 'Rate limit reached', errorType: 'rate_limit_error', headers: { 'retry-after': '7' } }]);
    closers.push(() => llm.close());
    const plumb = await plumbWith({ answer: { provider: 'openai-compatible', baseUrl: llm.baseURL, model: 'gpt-4o-mini' } });
    const server = await startServer(plumb, { port: 0 });
    closers.push(() => server.close());
    const res = await fetch(`${server.url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What port?' }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Rate limit reached');
  });
});

describe('answers from Anthropic (local wire-format server)', () => {
  it('streams an answer through askStream with citations and usage', async () => {
    const llm = await startAnthropicWireServer([{ type: 'message', text: 'Keys are hashed with SHA-256 before storage [1].', usage: { input_tokens: 700, output_tokens: 11 } }], { apiKey: 'sk-ant-test' });
    closers.push(() => llm.close());
    const plumb = await plumbWith({ answer: { provider: 'anthropic', baseUrl: llm.baseURL, apiKey: 'sk-ant-test', model: 'claude-3-5-haiku-latest' } });
    let text = '';
    let done: { answer: { text: string; citations: Array<{ documentId: string }>; usage: { outputTokens: number } } } | undefined;
    for await (const event of plumb.askStream('How are API keys stored?')) {
      if (event.type === 'delta') text += event.text;
      if (event.type === 'done') done = event.result;
    }
    expect(text).toBe('Keys are hashed with SHA-256 before storage [1].');
    expect(done!.answer.citations[0]!.documentId).toBe('keys');
    expect(done!.answer.usage.outputTokens).toBe(11);
    const sent = llm.requests[0]!;
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect((sent.body as { stream: boolean }).stream).toBe(true);
  });
});

describe('tool calls through /v1/chat/completions (plumb-chat → an OpenAI-compatible provider)', () => {
  it('passes tool definitions up and tool calls back, plain and streamed', async () => {
    const toolCall = { id: 'call_1', name: 'get_weather', arguments: '{"city":"Lisbon"}' };
    const llm = await startOpenAIWireServer([
      { type: 'chat', toolCalls: [toolCall] },
      { type: 'chat', text: 'Sunny.', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
    ]);
    closers.push(() => llm.close());
    const plumb = await plumbWith({ answer: { provider: 'openai-compatible', baseUrl: llm.baseURL, model: 'gpt-4o-mini', price: { inputPerMTok: 0.15, outputPerMTok: 0.6 } } });
    const server = await startServer(plumb, { port: 0 });
    closers.push(() => server.close());
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', maxRetries: 0 });
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

    const plain = await client.chat.completions.create({ model: 'plumb-chat', messages: [{ role: 'user', content: 'Weather in Lisbon?' }], tools });
    expect(plain.choices[0]!.finish_reason).toBe('tool_calls');
    expect(plain.choices[0]!.message.tool_calls![0]).toMatchObject({ id: 'call_1', function: { name: 'get_weather', arguments: '{"city":"Lisbon"}' } });
    const sentTools = (llm.requests[0]!.body as { tools: Array<{ function: { name: string } }> }).tools;
    expect(sentTools[0]!.function.name).toBe('get_weather');

    const stream = await client.chat.completions.create({ model: 'plumb-chat', messages: [{ role: 'user', content: 'Weather in Lisbon?' }], tools, stream: true });
    let args = '';
    let name = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Lisbon' });
    expect(finish).toBe('tool_calls');
    // The identical (deterministic) request was answered by the gateway's exact cache.
    expect(llm.requests).toHaveLength(1);

    // Response headers say which provider answered and what it cost.
    const raw = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'plumb-chat', messages: [{ role: 'user', content: 'Weather?' }] }) });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-plumb-provider')).toBeTruthy();
    expect(Number(raw.headers.get('x-plumb-cost-usd'))).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 10);
    expect(raw.headers.get('x-plumb-cache')).toBe('miss');
  });
});

describe('prompt caching through /v1/chat/completions', () => {
  it('passes cache_control on a content part through to Anthropic', async () => {
    const llm = await startAnthropicWireServer([{ type: 'message', text: 'ok', usage: { input_tokens: 2000, output_tokens: 2, cache_read_input_tokens: 1800 } }], { apiKey: 'sk-ant' });
    closers.push(() => llm.close());
    const plumb = await plumbWith({ answer: { provider: 'anthropic', baseUrl: llm.baseURL, apiKey: 'sk-ant', model: 'claude-3-5-haiku-latest' } });
    const server = await startServer(plumb, { port: 0 });
    closers.push(() => server.close());
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'plumb-chat',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'A long, stable system prompt.', cache_control: { type: 'ephemeral' } }] },
          { role: 'user', content: 'hi' },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens_details: { cached_tokens: number } } };
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(1800);
    const sent = llm.requests[0]!.body as { system: Array<{ text: string; cache_control?: { type: string } }> };
    expect(sent.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
  });
});

describe('cached answers and document changes', () => {
  it('keeps cached answers across an unchanged re-ingest and drops them when a document changes', async () => {
    const llm = await startOpenAIWireServer(() => ({ type: 'chat', text: 'Refunds take five days [1].' }));
    closers.push(() => llm.close());
    // k = 1: the answer rests on the Refunds section alone, whose text does not change below, so
    // only the invalidation (not a different prompt) can make the cache miss.
    const plumb = await plumbWith({ answer: { provider: 'openai-compatible', baseUrl: llm.baseURL, model: 'gpt-4o-mini' }, retrieval: { k: 1 } });
    const policy = '# Refunds\n\nRefunds take five business days to reach your account.\n\n# Shipping\n\nOrders ship within two days.';
    await plumb.addDocuments([{ id: 'policy', text: policy, mimeType: 'text/markdown' }]);
    const question = 'How long do refunds take?';
    await plumb.ask(question);
    await plumb.ask(question);
    expect(llm.requests).toHaveLength(1); // the second answer came from the exact cache

    await plumb.addDocuments([{ id: 'policy', text: policy, mimeType: 'text/markdown' }]); // unchanged
    await plumb.ask(question);
    expect(llm.requests).toHaveLength(1);

    await plumb.addDocuments([{ id: 'policy', text: `${policy}\n\n# Returns\n\nReturns are free for 30 days.`, mimeType: 'text/markdown' }]); // changed
    await plumb.ask(question);
    expect(llm.requests).toHaveLength(2);
  });
});
