import { describe, expect, it } from 'vitest';
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

  it('treats temperature 0 or unset as deterministic', () => {
    expect(isDeterministic({ messages: [] })).toBe(true);
    expect(isDeterministic({ messages: [], temperature: 0 })).toBe(true);
    expect(isDeterministic({ messages: [], temperature: 0.2 })).toBe(false);
  });
});
