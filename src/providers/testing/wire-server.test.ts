import { describe, expect, it } from 'vitest';
import { startAnthropicWireServer } from './anthropic-wire-server.ts';
import { startOpenAIWireServer } from './openai-wire-server.ts';
import { startWireServer } from './wire-server.ts';

describe('wire servers', () => {
  it('record method, path, query, headers and JSON body, and close with a hanging request open', async () => {
    const server = await startWireServer((request) => (request.path === '/hang' ? { type: 'hang' } : { type: 'json', status: 201, body: { ok: true } }));
    const response = await fetch(`${server.origin}/things?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Trace': 'abc' }, body: '{"a":[1,2]}' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/things', query: { x: '1' }, headers: { 'x-trace': 'abc' }, body: { a: [1, 2] } });

    const hanging = fetch(`${server.origin}/hang`).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await server.close(); // must not wait for the hanging request
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('answer requests past the end of a script with a loud 500 in the provider error shape', async () => {
    const openai = await startOpenAIWireServer([]);
    const anthropic = await startAnthropicWireServer([]);
    const fromOpenAI = await fetch(`${openai.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
    const fromAnthropic = await fetch(`${anthropic.baseURL}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': '2023-06-01' }, body: '{}' });
    expect(fromOpenAI.status).toBe(500);
    expect(await fromOpenAI.json()).toMatchObject({ error: { message: expect.stringContaining('no reply for request #1') } });
    expect(await fromAnthropic.json()).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('no reply') } });
    await Promise.all([openai.close(), anthropic.close()]);
  });

  it('Anthropic server rejects a request without anthropic-version, as the real API does', async () => {
    const server = await startAnthropicWireServer([{ type: 'message', text: 'x' }]);
    const response = await fetch(`${server.baseURL}/v1/messages`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('anthropic-version') } });
    await server.close();
  });
});
