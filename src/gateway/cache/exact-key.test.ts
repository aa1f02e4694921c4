import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.ts';
import { semanticScope } from './semantic-scope.ts';
import { exactCacheKey, isDeterministic } from './exact-key.ts';

describe('exact cache key', () => {
  const base = { messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0, tools: [{ name: 't', parameters: { type: 'object', properties: { a: { type: 'string' } } } }] };

  it('ignores tenant, tags, signal, tool-schema key order and surrounding whitespace', () => {
    const same = { ...base, messages: [{ role: 'user' as const, content: ' hi ' }], tenantId: 'x', tags: ['rag'], signal: new AbortController().signal, tools: [{ parameters: { properties: { a: { type: 'string' } }, type: 'object' }, name: 't' }] };
    expect(exactCacheKey(same, 'm')).toBe(exactCacheKey(base, 'm'));
  });

  it('changes with the model, temperature, stop, max tokens and messages', () => {
    const key = exactCacheKey(base, 'm');
    for (const other of [{ ...base, model: 'other' }, { ...base, temperature: 0.5 }, { ...base, stop: ['\n'] }, { ...base, maxOutputTokens: 5 }, { ...base, messages: [{ role: 'user' as const, content: 'hello' }] }]) {
      expect(exactCacheKey(other, 'm')).not.toBe(key);
    }
    expect(exactCacheKey(base, 'other-default')).not.toBe(key);
  });

  it('changes with every answer option (format, sampling, reasoning, parallel tool calls) and routing tags, but not with the end user or other tags', () => {
    const key = exactCacheKey(base, 'm');
    const options = [{ topP: 0.5 }, { seed: 1 }, { frequencyPenalty: 0.1 }, { presencePenalty: 0.1 }, { responseFormat: { type: 'json_object' as const } }, { reasoningEffort: 'low' as const }, { parallelToolCalls: false }];
    const keys = options.map((option) => exactCacheKey({ ...base, ...option }, 'm'));
    expect(new Set([key, ...keys]).size).toBe(options.length + 1);
    // Two JSON schemas differ by their schema; key order inside one does not matter.
    const schemaKey = (schema: JsonObject) => exactCacheKey({ ...base, responseFormat: { type: 'json_schema', name: 'a', schema } }, 'm');
    expect(schemaKey({ type: 'object', required: ['x'] })).toBe(schemaKey({ required: ['x'], type: 'object' }));
    expect(schemaKey({ type: 'object', required: ['x'] })).not.toBe(schemaKey({ type: 'object', required: ['y'] }));
    expect(exactCacheKey({ ...base, endUser: 'u1' }, 'm')).toBe(key);
    // Tags only label a call, unless the router's rules match them (they may send it elsewhere).
    const routingTags = new Set(['judge', 'batch']);
    expect(exactCacheKey({ ...base, tags: ['job:17'] }, 'm', routingTags)).toBe(key);
    expect(exactCacheKey({ ...base, tags: ['judge'] }, 'm')).toBe(key);
    expect(exactCacheKey({ ...base, tags: ['judge', 'job:17'] }, 'm', routingTags)).not.toBe(key);
    expect(exactCacheKey({ ...base, tags: ['batch', 'judge', 'job:17'] }, 'm', routingTags)).toBe(exactCacheKey({ ...base, tags: ['judge', 'batch', 'judge'] }, 'm', routingTags));
    expect(exactCacheKey({ ...base, responseFormat: { type: 'text' } }, 'm')).toBe(key);
    // The semantic cache's scope follows the same options.
    const scope = (extra: object) => semanticScope({ ...base, ...extra }, 'm')!.scope;
    expect(scope({ responseFormat: { type: 'json_object' } })).not.toBe(scope({}));
    expect(scope({ endUser: 'u1' })).toBe(scope({}));
  });

  it('is unchanged for requests that set no answer option (keys made before the options existed still hit)', () => {
    const request = { messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'What is RAG?' }], temperature: 0 };
    expect(exactCacheKey(request, 'gpt-4o-mini')).toBe('7b0c6aeb969cc731591c95414851c06113cd9bf6ae6ea48ebe46f5e915502e1a');
  });

  it('treats temperature 0 or unset as deterministic', () => {
    expect(isDeterministic({ messages: [] })).toBe(true);
    expect(isDeterministic({ messages: [], temperature: 0 })).toBe(true);
    expect(isDeterministic({ messages: [], temperature: 0.2 })).toBe(false);
  });
});
