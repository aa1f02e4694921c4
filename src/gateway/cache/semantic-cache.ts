/**
 * The semantic cache: the last user message is embedded (offline SIF by default) and compared with
 * the questions already answered in the same scope (tenant × model × prompt template); the best
 * candidate the policy accepts is a hit. Scopes are scanned linearly — they hold hundreds of
 * entries, and a scan of 1,000 100-d vectors takes well under a millisecond.
 *
 * When the policy's verifier uses a sentence encoder's cosine (the default: USE-lite), each entry
 * stores that encoder's vector after the embedder's, in one Float32Array, so every backend keeps
 * it unchanged. The encoder is slow (~20 ms a question, on its own thread), so a look-up starts it
 * at once and waits for it only when a candidate could still be a hit: the verifier's score is
 * bounded over every cosine the encoder could give (semantic-policy.ts preparePair), and a candidate
 * a guard vetoes or whose bound is under the threshold is rejected without it. On a miss the
 * encoder finishes while the model answers, and the store uses it. When the encoder falls behind
 * (`maxEncoderBacklog` questions waiting), further questions skip the semantic cache instead of
 * queueing.
 */
import { randomUUID } from 'node:crypto';
import type { EmbeddingModel } from '../../core/model.ts';
import { createOfflineEmbedder } from '../../providers/offline/embedder-factory.ts';
import { sharedUseLiteEncoder } from '../../providers/offline/use-lite/use-lite-encoder.ts';
import { loadWordVectors } from '../../providers/offline/word-vectors.ts';
import type { CacheBackend } from './cache-backend.ts';
import type { CachedAnswer, SemanticEntry } from './cached-answer.ts';
import { DEFAULT_SEMANTIC_POLICY } from './default-policy.ts';
import { policyEncoder, preparePair, type PairDecision, type SemanticPolicy } from './semantic-policy.ts';
import type { Lexicon } from './verifier-features.ts';

export interface SemanticCacheOptions {
  backend: CacheBackend;
  /** Embeds questions; default the offline SIF embedder. */
  embedder?: EmbeddingModel;
  /** Word vectors for the verifier; default the ones the offline embedder uses. */
  lexicon?: () => Promise<Lexicon>;
  /** The sentence encoder, when the policy's verifier uses one; default the process's USE-lite encoder. */
  encoder?: EmbeddingModel;
  /**
   * Questions waiting for the encoder beyond which new ones skip the semantic cache; default 8. At
   * ~20 ms a question on one thread that bounds the wait a look-up can add to a few hundred ms
   * (bench/semantic-cache/LOOKUP-LATENCY.md); a benchmark that must not shed sets it to Infinity.
   */
  maxEncoderBacklog?: number;
  /** Default: the policy calibrated by bench/semantic-cache (default-policy.ts). */
  policy?: Partial<SemanticPolicy>;
  /** How long entries live; default 1 hour. */
  ttlMs?: number;
}

/** A question's vectors: the embedder's, and the encoder's (in flight) when the policy uses one. */
export interface QuestionVectors {
  vector: Float32Array;
  encoded?: Promise<Float32Array | undefined>;
  /** Set when the encoder was too far behind to take the question: it skips the semantic cache. */
  encoderBusy?: true;
}

/** The best candidate of a look-up and what the policy said about it. */
export interface SemanticLookup extends QuestionVectors {
  /** The accepted entry, when there is one. */
  hit?: SemanticEntry;
  /** The best-scoring candidate above `minCosine` (accepted or not), for shadow statistics. */
  best?: { entry: SemanticEntry; decision: PairDecision };
}

// The verifier is costlier than a dot product: only the closest few candidates are verified.
const VERIFY_AT_MOST = 5;

/** A semantic cache over one backend. */
export class SemanticCache {
  readonly policy: SemanticPolicy;
  private readonly backend: CacheBackend;
  private readonly embedder: EmbeddingModel;
  private readonly lexicon: () => Promise<Lexicon>;
  private readonly ttlMs: number;
  /** The sentence encoder the verifier needs, if it needs one. */
  private readonly encoder: EmbeddingModel | undefined;
  private readonly maxEncoderBacklog: number;
  private encoderBacklog = 0;

  constructor(options: SemanticCacheOptions) {
    this.backend = options.backend;
    this.embedder = options.embedder ?? createOfflineEmbedder();
    this.lexicon = options.lexicon ?? (() => loadWordVectors());
    this.policy = { ...DEFAULT_SEMANTIC_POLICY, ...options.policy };
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.encoder = policyEncoder(this.policy) ? (options.encoder ?? sharedUseLiteEncoder()) : undefined;
    this.maxEncoderBacklog = options.maxEncoderBacklog ?? 8;
  }

  /** Loads the embedder's and the encoder's models ahead of the first question. */
  async warmUp(): Promise<void> {
    await Promise.all([this.embed('warm up'), this.encoder?.embed(['warm up'])]);
  }

  /** Embeds a question with the embedder (unit length). */
  async embed(question: string): Promise<Float32Array> {
    const { vectors } = await this.embedder.embed([question], { purpose: 'query' });
    return vectors[0]!;
  }

  /** Embeds a question, and starts the encoder on it when the policy uses one. */
  async vectors(question: string): Promise<QuestionVectors> {
    const encoded = this.encode(question);
    const vector = await this.embed(question);
    if (encoded === 'busy') return { vector, encoderBusy: true };
    return { vector, ...(encoded ? { encoded } : {}) };
  }

  /** Finds the best cached answer for `question` in a scope. */
  async lookup(tenantId: string, scope: string, question: string): Promise<SemanticLookup> {
    const vectors = await this.vectors(question);
    const entries = await this.backend.scanSemantic(tenantId, scope);
    return { ...vectors, ...(await this.choose(question, vectors, entries)) };
  }

  /** Decides among entries already loaded (the benchmark calls this directly). */
  async choose(question: string, vectors: QuestionVectors, entries: readonly SemanticEntry[]): Promise<Pick<SemanticLookup, 'hit' | 'best'>> {
    const dims = vectors.vector.length;
    const candidates = entries
      // Entries without the encoder's part (stored before the policy used it) cannot be verified.
      .filter((entry) => !this.encoder || entry.vector.length === dims + this.encoder.dimensions)
      .map((entry) => ({ entry, cosine: dot(vectors.vector, entry.vector, 0, dims) }))
      .filter((c) => c.cosine >= this.policy.minCosine)
      .sort((a, b) => b.cosine - a.cosine)
      .slice(0, VERIFY_AT_MOST);
    if (candidates.length === 0) return {};
    const lexicon = this.policy.verifier ? await this.lexicon() : undefined;
    const prepared = candidates.map((c) => ({ entry: c.entry, pair: preparePair(this.policy, question, c.entry.question, c.cosine, lexicon) }));
    // Wait for the encoder only when its cosine could still make a candidate a hit; when it fell
    // behind, such candidates stay undecided and are not served.
    const encoded = prepared.some((p) => p.pair.needsEncoder) ? await vectors.encoded : undefined;
    let best: { entry: SemanticEntry; decision: PairDecision } | undefined;
    for (const { entry, pair } of prepared) {
      const decision = !pair.needsEncoder ? pair.decision : encoded ? pair.decide(dot(encoded, entry.vector, dims, encoded.length)) : undefined;
      if (decision && (!best || rank(decision) > rank(best.decision))) best = { entry, decision };
    }
    return best ? { best, ...(best.decision.accepted ? { hit: best.entry } : {}) } : {};
  }

  /**
   * Stores an answer for `question` in a scope. Without the encoder's vector (it fell behind) the
   * question is not stored: an entry the verifier cannot check could never be a hit.
   */
  async store(tenantId: string, scope: string, question: string, vectors: QuestionVectors, answer: CachedAnswer, documentIds?: readonly string[]): Promise<void> {
    let vector = vectors.vector;
    if (this.encoder) {
      const encoded = await vectors.encoded;
      if (!encoded) return;
      vector = new Float32Array(vector.length + encoded.length);
      vector.set(vectors.vector);
      vector.set(encoded, vectors.vector.length);
    }
    const entry: SemanticEntry = {
      // Time first, so ids sort by age (the Redis backend trims a full scope by it).
      id: `${Date.now().toString(36).padStart(9, '0')}-${randomUUID().slice(0, 8)}`,
      question,
      vector,
      answer,
      storedAt: Date.now(),
      ...(documentIds && documentIds.length > 0 ? { documentIds: [...documentIds] } : {}),
    };
    await this.backend.addSemantic(tenantId, scope, entry, this.ttlMs);
  }

  // The encoder's vector of a question (in flight); undefined when the policy uses none.
  private encode(question: string): Promise<Float32Array | undefined> | 'busy' | undefined {
    const encoder = this.encoder;
    if (!encoder) return undefined;
    if (this.encoderBacklog >= this.maxEncoderBacklog) return 'busy';
    this.encoderBacklog++;
    const encoded = encoder.embed([question], { purpose: 'query' }).then(({ vectors }) => vectors[0]);
    const done = (): void => {
      this.encoderBacklog--;
    };
    // Also marks a failure as handled: on a miss with no candidate nobody may await it.
    encoded.then(done, done);
    return encoded;
  }
}

// Accepted beats vetoed; then the higher score.
function rank(d: PairDecision): number {
  return (d.accepted ? 2 : 0) + d.score;
}

/** The dot product of `a` with b[offset … offset + length). */
function dot(a: Float32Array, b: Float32Array, offset: number, length: number): number {
  let s = 0;
  const n = Math.min(a.length, length, b.length - offset);
  for (let i = 0; i < n; i++) s += a[i]! * b[offset + i]!;
  return s;
}
