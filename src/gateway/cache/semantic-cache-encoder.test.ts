// How the semantic cache uses the verifier's sentence encoder: it runs beside the look-up, is waited
// for only when a candidate needs verifying, is stored after the embedder's vector, sheds load when
// it falls behind, and entries stored without it are never served. The encoder here is a stand-in
// whose answers the test releases by hand (the real one is tested in use-lite-encoder.test.ts and
// through the default policy in default-policy.test.ts).
import { describe, expect, it } from 'vitest';
import type { EmbeddingModel, EmbedResult } from '../../core/model.ts';
import { ZERO_COST } from '../../core/usage.ts';
import { DEFAULT_SEMANTIC_POLICY } from './default-policy.ts';
import { createMemoryCacheBackend } from './memory-backend.ts';
import { SemanticCache } from './semantic-cache.ts';
import { policyEncoder } from './semantic-policy.ts';

/** An encoder whose calls wait until the test releases them. */
class HeldEncoder implements EmbeddingModel {
  readonly specificationVersion = 'v1';
  readonly provider = 'test';
  readonly modelId = 'held';
  readonly dimensions = 512;
  readonly maxBatchSize = 16;
  readonly waiting: Array<() => void> = [];
  calls = 0;

  embed(texts: string[]): Promise<EmbedResult> {
    this.calls++;
    return new Promise((resolve) => {
      this.waiting.push(() => resolve({ vectors: texts.map(() => new Float32Array(512).fill(1 / Math.sqrt(512))), usage: { inputTokens: 0, outputTokens: 0 }, cost: ZERO_COST }));
    });
  }

  releaseAll(): void {
    for (const release of this.waiting.splice(0)) release();
  }
}

const answer = { text: 'Reset it from the login page.', toolCalls: [], finishReason: 'stop' as const, model: 'm', provider: 'p', usage: { inputTokens: 1, outputTokens: 1 }, usd: 0 };

function setup(maxEncoderBacklog?: number) {
  const backend = createMemoryCacheBackend();
  const encoder = new HeldEncoder();
  const cache = new SemanticCache({ backend, encoder, ...(maxEncoderBacklog === undefined ? {} : { maxEncoderBacklog }) });
  return { backend, encoder, cache };
}

describe('the semantic cache with a sentence encoder', () => {
  it('is what the default policy asks for', () => {
    expect(policyEncoder(DEFAULT_SEMANTIC_POLICY)).toBe('use-lite');
  });

  it('loads the encoder on warmUp(), ahead of the first question', async () => {
    const { encoder, cache } = setup();
    const warming = cache.warmUp();
    await new Promise((r) => setTimeout(r, 10));
    expect(encoder.calls).toBe(1);
    encoder.releaseAll();
    await warming;
  });

  it('answers a look-up with no candidate without waiting for the encoder, and stores both vectors once it is done', async () => {
    const { backend, encoder, cache } = setup();
    const found = await cache.lookup('t', 's', 'How do I reset my password?');
    expect(found.hit).toBeUndefined();
    expect(encoder.calls).toBe(1);
    expect(encoder.waiting).toHaveLength(1); // still encoding: the look-up did not wait
    const stored = cache.store('t', 's', 'How do I reset my password?', found, answer);
    encoder.releaseAll();
    await stored;
    const [entry] = await backend.scanSemantic('t', 's');
    expect(entry!.vector).toHaveLength(found.vector.length + 512);
    expect(Array.from(entry!.vector.subarray(0, found.vector.length))).toEqual(Array.from(found.vector));
  });

  it('waits for the encoder when a candidate needs verifying', async () => {
    const { encoder, cache } = setup();
    const first = await cache.lookup('t', 's', 'How do I reset my password?');
    encoder.releaseAll();
    await cache.store('t', 's', 'How do I reset my password?', first, answer);
    let settled = false;
    const second = cache.lookup('t', 's', 'How can I reset my password?').then((r) => ((settled = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    encoder.releaseAll();
    const found = await second;
    expect(found.best?.entry.question).toBe('How do I reset my password?');
  });

  it('skips the semantic cache, look-up and store, while the encoder is too far behind', async () => {
    const { backend, encoder, cache } = setup(1);
    const busy = await cache.lookup('t', 's', 'How do I reset my password?');
    const skipped = await cache.lookup('t', 's', 'What is the capital of France?');
    expect(busy.encoderBusy).toBeUndefined();
    expect(skipped.encoderBusy).toBe(true);
    expect(encoder.calls).toBe(1);
    await cache.store('t', 's', 'What is the capital of France?', skipped, answer);
    expect(await backend.scanSemantic('t', 's')).toHaveLength(0);
    encoder.releaseAll();
    await cache.store('t', 's', 'How do I reset my password?', busy, answer);
    expect(await backend.scanSemantic('t', 's')).toHaveLength(1);
    // The backlog drained: the encoder takes questions again.
    expect((await cache.lookup('t', 's', 'Where is Paris?')).encoderBusy).toBeUndefined();
  });

  it('never serves an entry stored without the encoder vector (from before the policy used one)', async () => {
    const { backend, encoder, cache } = setup();
    const vector = await cache.embed('How do I reset my password?');
    await backend.addSemantic('t', 's', { id: 'old', question: 'How do I reset my password?', vector, answer, storedAt: Date.now() }, 60_000);
    const found = await cache.lookup('t', 's', 'How do I reset my password?');
    encoder.releaseAll();
    expect(found.best).toBeUndefined();
    expect(found.hit).toBeUndefined();
  });

  it('fails a look-up that needs a broken encoder, and a store, without an unhandled rejection', async () => {
    const backend = createMemoryCacheBackend();
    const broken: EmbeddingModel = { specificationVersion: 'v1', provider: 'test', modelId: 'broken', dimensions: 512, maxBatchSize: 1, embed: () => Promise.reject(new Error('encoder thread died')) };
    const cache = new SemanticCache({ backend, encoder: broken });
    const missed = await cache.lookup('t', 's', 'How do I reset my password?'); // no candidate: nothing awaited the failure
    await expect(cache.store('t', 's', 'How do I reset my password?', missed, answer)).rejects.toThrow(/encoder thread died/);
    expect(await backend.scanSemantic('t', 's')).toHaveLength(0);
  });
});
