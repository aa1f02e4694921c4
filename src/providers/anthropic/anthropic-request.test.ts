import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import type { ChatRequest } from '../../core/model.ts';
import { messagesRequestBody } from './anthropic-request.ts';

const messages: ChatRequest['messages'] = [{ role: 'user', content: 'Which tool?' }];
const tool = { name: 'lookup', parameters: { type: 'object', properties: {} } };

describe('messagesRequestBody: answer options', () => {
  it('maps top_p, the end user and parallel tool calls to the Messages API, and leaves out what it has no field for', () => {
    const body = messagesRequestBody({ messages, topP: 0.8, endUser: 'user-7', seed: 1, frequencyPenalty: 1, presencePenalty: 1, reasoningEffort: 'high' }, 'claude-x', 1024, false);
    expect(body).toMatchObject({ top_p: 0.8, metadata: { user_id: 'user-7' } });
    for (const absent of ['seed', 'frequency_penalty', 'presence_penalty', 'reasoning_effort', 'tool_choice']) expect(body).not.toHaveProperty(absent);
    expect(messagesRequestBody({ messages, tools: [tool], parallelToolCalls: false }, 'claude-x', 1024, false)['tool_choice']).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(messagesRequestBody({ messages, tools: [tool], toolChoice: 'required', parallelToolCalls: false }, 'claude-x', 1024, false)['tool_choice']).toEqual({ type: 'any', disable_parallel_tool_use: true });
    // 'none' takes no such flag; without tools there is no tool_choice at all.
    expect(messagesRequestBody({ messages, tools: [tool], toolChoice: 'none', parallelToolCalls: false }, 'claude-x', 1024, false)['tool_choice']).toEqual({ type: 'none' });
    expect(messagesRequestBody({ messages, toolChoice: 'auto' }, 'claude-x', 1024, false)).not.toHaveProperty('tool_choice');
  });

  it('refuses a JSON response format as a bad request instead of answering in free text', () => {
    let thrown: unknown;
    try {
      messagesRequestBody({ messages, responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } }, 'claude-x', 1024, false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlumbError);
    expect((thrown as PlumbError).code).toBe('bad_request');
    expect((thrown as PlumbError).message).toContain('json_schema');
    expect(messagesRequestBody({ messages, responseFormat: { type: 'text' } }, 'claude-x', 1024, false)).not.toHaveProperty('response_format');
  });
});
