// The shipped policy on hand-made pairs, with the real word vectors, embedder and USE-lite encoder:
// paraphrases of one question pass, questions that differ in what they ask do not. A refit that breaks these has
// broken the verifier (or its features), whatever its benchmark says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../../providers/offline/embedder-factory.ts';
import { UseLiteEncoder } from '../../providers/offline/use-lite/use-lite-encoder.ts';
import { loadWordVectors } from '../../providers/offline/word-vectors.ts';
import { DEFAULT_SEMANTIC_POLICY } from './default-policy.ts';
import { ENCODER_VERIFIER_FEATURE_NAMES, type LexicalTreeVerifier } from './lexical-verifier.ts';
import { decidePair, preparePair, type PairDecision, type SemanticPolicy } from './semantic-policy.ts';
import type { Lexicon } from './verifier-features.ts';

const embedder = createOfflineEmbedder();
const encoder = new UseLiteEncoder();
let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await loadWordVectors();
});
afterAll(async () => {
  await embedder.embed([]);
  await encoder.close();
});

const cosineOf = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, d) => s + x * b[d]!, 0);

async function decide(cached: string, question: string, policy: SemanticPolicy = DEFAULT_SEMANTIC_POLICY): Promise<PairDecision> {
  const [{ vectors }, encoded] = await Promise.all([embedder.embed([question, cached]), encoder.embed([question, cached])]);
  return decidePair(policy, question, cached, cosineOf(vectors[0]!, vectors[1]!), lexicon, cosineOf(encoded.vectors[0]!, encoded.vectors[1]!));
}

describe('the default semantic policy', () => {
  it('is the lexical verifier with USE-lite cosine, over the features lexical-verifier.ts computes', () => {
    const v = DEFAULT_SEMANTIC_POLICY.verifier as LexicalTreeVerifier;
    expect(v.kind).toBe('lexical-trees+logistic');
    expect(v.encoder).toBe('use-lite');
    expect(v.trees.features).toEqual(ENCODER_VERIFIER_FEATURE_NAMES);
  });

  it('accepts paraphrases of one question', async () => {
    for (const [cached, question] of [
      ['How do I reset my password?', 'How can I reset my password?'],
      ['How can I lose weight fast?', 'How do I lose weight quickly?'],
      ['How do I improve my English speaking skills?', 'How can I improve my English speaking skills?'],
      ['Does the Illuminati really control the world?', 'Does illuminati really controls the world?'],
    ] as const) {
      expect(await decide(cached, question), `${cached} / ${question}`).toMatchObject({ accepted: true, guard: null });
    }
  });

  it('rejects questions that ask something else, scoring them below its paraphrases', async () => {
    const paraphrase = (await decide('How do I reset my password?', 'How can I reset my password?')).score;
    for (const [cached, question] of [
      ['How is Messi better than Ronaldo?', 'How is Ronaldo better than Messi?'],
      ['How do I convert kilometers to miles?', 'How do I convert miles to kilometers?'],
      ['Why does cellular respiration occur?', 'How does cellular respiration occur?'],
      ['What is the best laptop under 40k?', 'What is the best tablet under 40k?'],
    ] as const) {
      const d = await decide(cached, question);
      expect(d.accepted, `${cached} / ${question}`).toBe(false);
      expect(d.score).toBeLessThan(paraphrase);
    }
    expect(await decide('How do I get a job at Google?', 'How do I get a job at Microsoft?')).toMatchObject({ accepted: false, guard: 'entities' });
  });

  it('refuses a verifier fitted on other features', async () => {
    const v = DEFAULT_SEMANTIC_POLICY.verifier as LexicalTreeVerifier;
    const stale: SemanticPolicy = { ...DEFAULT_SEMANTIC_POLICY, verifier: { ...v, trees: { ...v.trees, features: v.trees.features.slice(1) } } };
    await expect(decide('How do I reset my password?', 'How can I reset my password?', stale)).rejects.toThrow(/refit/);
  });

  it('refuses to score a pair without the encoder cosine it was fitted on', () => {
    expect(() => decidePair(DEFAULT_SEMANTIC_POLICY, 'How can I reset my password?', 'How do I reset my password?', 0.95, lexicon)).toThrow(/use-lite cosine/);
  });
});

describe('deciding a pair before the encoder answers', () => {
  const pairs = [
    ['How do I reset my password?', 'How can I reset my password?'],
    ['How can I lose weight fast?', 'How do I lose weight quickly?'],
    ['How is Messi better than Ronaldo?', 'How is Ronaldo better than Messi?'],
    ['What is the best laptop under 40k?', 'What is the best tablet under 40k?'],
    ['Why does cellular respiration occur?', 'How does cellular respiration occur?'],
    ['How do I get a job at Google?', 'How do I get a job at Microsoft?'],
    ['What are the best books on economics?', 'Which books should I read to learn economics?'],
    ['Is it safe to eat raw eggs?', 'Is it safe to eat raw cookie dough?'],
  ] as const;

  it('bounds the score over every encoder cosine, and decides as decidePair does', async () => {
    let waited = 0;
    for (const [cached, question] of pairs) {
      const [{ vectors }, encoded] = await Promise.all([embedder.embed([question, cached]), encoder.embed([question, cached])]);
      const cosine = cosineOf(vectors[0]!, vectors[1]!);
      const prepared = preparePair(DEFAULT_SEMANTIC_POLICY, question, cached, cosine, lexicon);
      for (let c = -1; c <= 1; c += 0.05) expect(prepared.decide(c).score).toBeLessThanOrEqual(prepared.decision.score + 1e-12);
      const exact = decidePair(DEFAULT_SEMANTIC_POLICY, question, cached, cosine, lexicon, cosineOf(encoded.vectors[0]!, encoded.vectors[1]!));
      const early = prepared.needsEncoder ? prepared.decide(cosineOf(encoded.vectors[0]!, encoded.vectors[1]!)) : prepared.decision;
      expect(early.accepted, `${cached} / ${question}`).toBe(exact.accepted);
      expect(early.guard).toBe(exact.guard);
      if (prepared.needsEncoder) waited++;
    }
    // The paraphrases need the encoder's word; the laptop/tablet pair and the vetoed ones do not.
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThan(pairs.length);
  });
});
