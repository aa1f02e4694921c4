// cache.encoder chooses the semantic policy: the default verifier with USE-lite's cosine, or the
// word-level one with its own threshold; cache.threshold overrides either's threshold.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { DEFAULT_SEMANTIC_POLICY, LEXICAL_SEMANTIC_POLICY } from './cache/default-policy.ts';
import { policyEncoder } from './cache/semantic-policy.ts';
import { createGateway } from './create-gateway.ts';

const store = {
  appendLedgerEntry: async () => {},
  getCachedEmbeddings: async () => new Map(),
  putCachedEmbeddings: async () => {},
};

async function semanticPolicyFor(cache: Record<string, unknown>) {
  const gateway = await createGateway(configSchema.parse({ cache: { semantic: 'shadow', ...cache } }), {}, store as never);
  try {
    return gateway.cache.semantic!.policy;
  } finally {
    await gateway.close();
  }
}

describe('the semantic policy from config', () => {
  it('uses the USE-lite verifier by default and the word-level one with encoder: none', async () => {
    const byDefault = await semanticPolicyFor({});
    expect(policyEncoder(byDefault)).toBe('use-lite');
    expect(byDefault.threshold).toBe(DEFAULT_SEMANTIC_POLICY.threshold);
    const none = await semanticPolicyFor({ encoder: 'none' });
    expect(policyEncoder(none)).toBeUndefined();
    expect(none.threshold).toBe(LEXICAL_SEMANTIC_POLICY.threshold);
  });

  it('lets cache.threshold override the calibrated threshold, and rejects an unknown encoder', async () => {
    expect((await semanticPolicyFor({ encoder: 'none', threshold: 0.9 })).threshold).toBe(0.9);
    expect(() => configSchema.parse({ cache: { encoder: 'minilm' } })).toThrow(/encoder/);
    expect(configSchema.parse({ cache: { encoderThreads: 2 } }).cache.encoderThreads).toBe(2);
    expect(() => configSchema.parse({ cache: { encoderThreads: 0 } })).toThrow(/encoderThreads/);
  });
});
