import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../core/model.ts';
import { createCacheLayer } from './cache-middleware.ts';
import { createMemoryCacheBackend } from './memory-backend.ts';

const model: ChatModel = {
  specificationVersion: 'v1',
  provider: 'p',
  modelId: 'm',
  generate: async () => ({ text: 'x', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, cost: { usd: 0 }, model: 'm', provider: 'p' }),
  async *stream() {},
};

describe('cache layer with both caches off', () => {
  it('adds no layer at all; with either cache on it wraps the model', () => {
    expect(createCacheLayer({ backend: createMemoryCacheBackend(), exact: false, semantic: 'off' }).middleware(model)).toBe(model);
    expect(createCacheLayer({ backend: createMemoryCacheBackend(), exact: true, semantic: 'off' }).middleware(model)).not.toBe(model);
    expect(createCacheLayer({ backend: createMemoryCacheBackend(), exact: false, semantic: 'shadow' }).middleware(model)).not.toBe(model);
  });
});
