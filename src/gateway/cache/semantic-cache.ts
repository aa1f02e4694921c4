/**
 * The semantic cache: the last user message is embedded (offline SIF by default) and compared with
 * the questions already answered in the same scope (tenant × model × prompt template); the best
 * candidate the policy accepts is a hit. Scopes are scanned linearly — they hold hundreds of
 * entries, and a scan of 1,000 100-d vectors takes well under a millisecond.
 */
import { randomUUID } from 'node:crypto';
import type { EmbeddingModel } from '../../core/model.ts';
import { createOfflineEmbedder } from '../../providers/offline/embedder-factory.ts';
import { loadWordVectors } from '../../providers/offline/word-vectors.ts';
import type { CacheBackend } from './cache-backend.ts';
import type { CachedAnswer, SemanticEntry } from './cached-answer.ts';
import { DEFAULT_SEMANTIC_POLICY } from './default-policy.ts';
import { decidePair, type PairDecision, type SemanticPolicy } from './semantic-policy.ts';
import type { Lexicon } from './verifier-features.ts';

export interface SemanticCacheOptions {
  backend: CacheBackend;
  /** Embeds questions; default the offline SIF embedder. */
  embedder?: EmbeddingModel;
  /** Word vectors for the verifier; default the ones the offline embedder uses. */
  lexicon?: () => Promise<Lexicon>;
  /** Default: the policy calibrated by bench/semantic-cache (default-policy.ts). */
  policy?: Partial<SemanticPolicy>;
  /** How long entries live; default 1 hour. */
  ttlMs?: number;
}

/** The best candidate of a look-up and what the policy said about it. */
export interface SemanticLookup {
  vector: Float32Array;
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

  constructor(options: SemanticCacheOptions) {
    this.backend = options.backend;
    this.embedder = options.embedder ?? createOfflineEmbedder();
    this.lexicon = options.lexicon ?? (() => loadWordVectors());
    this.policy = { ...DEFAULT_SEMANTIC_POLICY, ...options.policy };
    this.ttlMs = options.ttlMs ?? 3_600_000;
  }

  /** Embeds a question (unit length). */
  async embed(question: string): Promise<Float32Array> {
    const { vectors } = await this.embedder.embed([question], { purpose: 'query' });
    return vectors[0]!;
  }

  /** Finds the best cached answer for `question` in a scope. */
  async lookup(tenantId: string, scope: string, question: string, vector?: Float32Array): Promise<SemanticLookup> {
    const v = vector ?? (await this.embed(question));
    const entries = await this.backend.scanSemantic(tenantId, scope);
    return { vector: v, ...(await this.choose(question, v, entries)) };
  }

  /** Decides among entries already loaded (the benchmark calls this directly). */
  async choose(question: string, vector: Float32Array, entries: readonly SemanticEntry[]): Promise<Omit<SemanticLookup, 'vector'>> {
    const candidates = entries
      .map((entry) => ({ entry, cosine: dot(vector, entry.vector) }))
      .filter((c) => c.cosine >= this.policy.minCosine)
      .sort((a, b) => b.cosine - a.cosine)
      .slice(0, VERIFY_AT_MOST);
    if (candidates.length === 0) return {};
    const lexicon = this.policy.verifier ? await this.lexicon() : undefined;
    let best: { entry: SemanticEntry; decision: PairDecision } | undefined;
    for (const c of candidates) {
      const decision = decidePair(this.policy, question, c.entry.question, c.cosine, lexicon);
      if (!best || rank(decision) > rank(best.decision)) best = { entry: c.entry, decision };
    }
    return best ? { best, ...(best.decision.accepted ? { hit: best.entry } : {}) } : {};
  }

  /** Stores an answer for `question` in a scope. */
  async store(tenantId: string, scope: string, question: string, vector: Float32Array, answer: CachedAnswer, documentIds?: readonly string[]): Promise<void> {
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
}

// Accepted beats vetoed; then the higher score.
function rank(d: PairDecision): number {
  return (d.accepted ? 2 : 0) + d.score;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}
