import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/model.ts';
import { chatCompletionRequestBody } from './openai-request.ts';

const messages: ChatRequest['messages'] = [{ role: 'user', content: 'List three primes as JSON.' }];
const tool = { name: 'lookup', parameters: { type: 'object', properties: {} } };

describe('chatCompletionRequestBody: answer options', () => {
  it('sends the sampling, format, reasoning and end-user options a request sets, under their OpenAI names', () => {
    const body = chatCompletionRequestBody(
      {
        messages,
        topP: 0.9,
        seed: 42,
        frequencyPenalty: 0.5,
        presencePenalty: -0.25,
        responseFormat: { type: 'json_schema', name: 'primes', schema: { type: 'object', properties: { primes: { type: 'array' } } }, strict: true },
        reasoningEffort: 'low',
        endUser: 'user-7',
      },
      'gpt-4o-mini',
      false,
      'max_tokens',
    );
    expect(body).toMatchObject({
      top_p: 0.9,
      seed: 42,
      frequency_penalty: 0.5,
      presence_penalty: -0.25,
      response_format: { type: 'json_schema', json_schema: { name: 'primes', schema: { type: 'object', properties: { primes: { type: 'array' } } }, strict: true } },
      reasoning_effort: 'low',
      user: 'user-7',
    });
    expect(chatCompletionRequestBody({ messages, responseFormat: { type: 'json_object' } }, 'm', false, 'max_tokens')['response_format']).toEqual({ type: 'json_object' });
  });

  it('sends none of them when unset, and parallel_tool_calls only beside tools (OpenAI rejects it alone)', () => {
    expect(Object.keys(chatCompletionRequestBody({ messages }, 'm', false, 'max_tokens')).sort()).toEqual(['messages', 'model']);
    expect(chatCompletionRequestBody({ messages, parallelToolCalls: false }, 'm', false, 'max_tokens')).not.toHaveProperty('parallel_tool_calls');
    expect(chatCompletionRequestBody({ messages, tools: [tool], parallelToolCalls: false }, 'm', false, 'max_tokens')['parallel_tool_calls']).toBe(false);
  });
});
