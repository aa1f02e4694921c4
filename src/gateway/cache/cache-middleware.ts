/**
 * The cache as gateway middleware: exact cache first, then the semantic cache, around generate and
 * stream. A hit returns the stored answer at zero usage and cost with `metadata.cache` = "exact" or
 * "semantic"; a miss calls the model, stores a complete answer (never an errored or cut stream)
 * and says `cache: "miss"`. In shadow mode the semantic cache only looks up and records whether it
 * would have hit, then checks that answer against the real one: the measured false-hit rate.
 */
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, ResponseMetadata } from '../../core/model.ts';
import type { EmbeddingModel } from '../../core/model.ts';
import { wrapChat, type ChatMiddleware } from '../middleware.ts';
import type { CacheBackend } from './cache-backend.ts';
import { answerOf, hitMetadata, hitResponse, isStorable, replayStream, StreamAccumulator, type CachedAnswer, type SemanticEntry } from './cached-answer.ts';
import { CacheStatistics } from './cache-stats.ts';
import { exactCacheKey, isDeterministic } from './exact-key.ts';
import { SemanticCache, type QuestionVectors } from './semantic-cache.ts';
import type { SemanticPolicy } from './semantic-policy.ts';
import { semanticScope } from './semantic-scope.ts';
import type { Lexicon } from './verifier-features.ts';

export type SemanticMode = 'off' | 'shadow' | 'on';

export interface CacheMiddlewareOptions {
  backend: CacheBackend;
  /** Exact cache on (default true). */
  exact?: boolean;
  /** Semantic cache: off (default), shadow (measure, never serve) or on. */
  semantic?: SemanticMode;
  /** How long entries live; default 1 hour. */
  ttlMs?: number;
  /** Overrides the calibrated semantic policy (e.g. `{ threshold: 0.8 }`). */
  policy?: Partial<SemanticPolicy>;
  embedder?: EmbeddingModel;
  lexicon?: () => Promise<Lexicon>;
  /** The sentence encoder of a policy that uses one; default the process's shared USE-lite encoder. */
  encoder?: EmbeddingModel;
  /** Questions waiting for the encoder beyond which new ones skip the semantic cache (SemanticCache's default: 8). */
  maxEncoderBacklog?: number;
  /** Which requests may be cached; default temperature 0 or unset (see exact-key.ts). */
  cacheable?: (request: ChatRequest) => boolean;
  /** Tenant of requests without one; default "default". */
  defaultTenant?: string;
  /** Tags the router's rules match: part of the keys, since they may send a request to another model (exact-key.ts). */
  routingTags?: ReadonlySet<string>;
  /** Shadow mode: whether a cached answer would have been acceptable given the real one. Default: same text, or answer vectors' cosine ≥ 0.9. */
  acceptable?: (cached: string, real: string) => Promise<boolean>;
}

/** The middleware plus what the rest of the gateway needs from the cache. */
export interface CacheLayer {
  middleware: ChatMiddleware;
  stats: CacheStatistics;
  /** Drops cached answers that depend on any of these documents (call when documents change). */
  invalidateDocuments(tenantId: string, documentIds: readonly string[]): Promise<number>;
  semantic: SemanticCache | undefined;
}

// What a miss learned on the way in, needed on the way out.
interface MissContext {
  tenantId: string;
  exactKey: string | undefined;
  scope: { scope: string; question: string; vectors: QuestionVectors } | undefined;
  shadow: SemanticEntry | undefined;
  documentIds: string[];
}

type Lookup = { hit: ChatResponse; answer: CachedAnswer } | { miss: MissContext };

/** Creates the cache layer. */
export function createCacheLayer(options: CacheMiddlewareOptions): CacheLayer {
  const backend = options.backend;
  const stats = new CacheStatistics();
  const ttlMs = options.ttlMs ?? 3_600_000;
  const mode = options.semantic ?? 'off';
  const semantic = mode === 'off' ? undefined : new SemanticCache({ backend, ttlMs, ...(options.embedder ? { embedder: options.embedder } : {}), ...(options.lexicon ? { lexicon: options.lexicon } : {}), ...(options.policy ? { policy: options.policy } : {}), ...(options.encoder ? { encoder: options.encoder } : {}), ...(options.maxEncoderBacklog !== undefined ? { maxEncoderBacklog: options.maxEncoderBacklog } : {}) });
  const cacheable = options.cacheable ?? isDeterministic;
  const acceptable = options.acceptable ?? ((cached: string, real: string) => similarAnswers(semantic, cached, real));

  async function lookup(request: ChatRequest, modelId: string): Promise<Lookup | undefined> {
    const tenantId = request.tenantId ?? options.defaultTenant ?? 'default';
    if (request.cacheControl === 'no-store' || !cacheable(request)) {
      stats.count(tenantId, 'bypassed');
      return undefined;
    }
    const miss: MissContext = { tenantId, exactKey: undefined, scope: undefined, shadow: undefined, documentIds: [...new Set((request.passages ?? []).map((p) => p.documentId))] };
    if (request.cacheControl === 'no-cache') return refreshing(request, modelId, miss);
    try {
      if (options.exact ?? true) {
        miss.exactKey = exactCacheKey(request, modelId, options.routingTags);
        const entry = await backend.getExact(tenantId, miss.exactKey);
        if (entry) {
          stats.count(tenantId, 'exactHits');
          return { hit: hitResponse(entry.answer, hitMetadata(entry.answer, 'exact')), answer: entry.answer };
        }
        stats.count(tenantId, 'exactMisses');
      }
      const scope = semantic ? semanticScope(request, modelId, options.routingTags) : undefined;
      if (semantic && scope) {
        const found = await semantic.lookup(tenantId, scope.scope, scope.question);
        miss.scope = { ...scope, vectors: { vector: found.vector, ...(found.encoded ? { encoded: found.encoded } : {}) } };
        if (found.encoderBusy) stats.count(tenantId, 'encoderSkips');
        if (found.best?.decision.guard) stats.count(tenantId, 'guardVetoes');
        if (found.hit && mode === 'on') {
          stats.count(tenantId, 'semanticHits');
          const meta = hitMetadata(found.hit.answer, 'semantic', { cache_score: round(found.best?.decision.score ?? 0) });
          return { hit: hitResponse(found.hit.answer, meta), answer: found.hit.answer };
        }
        if (found.hit) {
          stats.count(tenantId, 'shadowHits');
          miss.shadow = found.hit;
        }
        stats.count(tenantId, 'semanticMisses');
      }
    } catch {
      // A cache that is down must not take the model down with it.
      stats.count(tenantId, 'errors');
    }
    return { miss };
  }

  /** A caller's `no-cache`: nothing is looked up, but the fresh answer replaces what was stored. */
  async function refreshing(request: ChatRequest, modelId: string, miss: MissContext): Promise<Lookup> {
    stats.count(miss.tenantId, 'refreshed');
    try {
      if (options.exact ?? true) miss.exactKey = exactCacheKey(request, modelId, options.routingTags);
      const scope = semantic ? semanticScope(request, modelId, options.routingTags) : undefined;
      if (semantic && scope) miss.scope = { ...scope, vectors: await semantic.vectors(scope.question) };
    } catch {
      stats.count(miss.tenantId, 'errors');
    }
    return { miss };
  }

  async function remember(miss: MissContext, answer: CachedAnswer): Promise<void> {
    if (miss.shadow) {
      stats.count(miss.tenantId, 'shadowJudged');
      if (!(await acceptable(miss.shadow.answer.text, answer.text))) stats.count(miss.tenantId, 'shadowFalseHits');
    }
    if (!isStorable(answer.finishReason)) return;
    const entry = { answer, storedAt: Date.now(), ...(miss.documentIds.length ? { documentIds: miss.documentIds } : {}) };
    try {
      if (miss.exactKey !== undefined) await backend.setExact(miss.tenantId, miss.exactKey, entry, ttlMs);
      if (semantic && miss.scope) await semantic.store(miss.tenantId, miss.scope.scope, miss.scope.question, miss.scope.vectors, answer, miss.documentIds);
      stats.count(miss.tenantId, 'stores');
    } catch {
      stats.count(miss.tenantId, 'errors');
    }
  }

  // Both caches off: no layer at all, so requests pay nothing for a cache they do not use.
  const enabled = (options.exact ?? true) || semantic !== undefined;
  const middleware: ChatMiddleware = (next: ChatModel) =>
    !enabled ? next : wrapChat(next, {
      async generate(request) {
        const found = await lookup(request, next.modelId);
        if (found && 'hit' in found) return found.hit;
        const response = await next.generate(request);
        if (!found) return response;
        await remember(found.miss, answerOf(response));
        return { ...response, metadata: { ...response.metadata, ...missMetadata(found.miss) } };
      },
      async *stream(request) {
        const found = await lookup(request, next.modelId);
        if (found && 'hit' in found) {
          yield* replayStream(found.answer, found.hit.metadata ?? {});
          return;
        }
        const accumulator = new StreamAccumulator();
        for await (const event of next.stream(request)) {
          if (!found) {
            yield event;
            continue;
          }
          const answer = accumulator.add(event);
          if (answer && event.type === 'finish') {
            // Stored before the finish is passed on: a consumer may stop reading right after it.
            await remember(found.miss, answer);
            yield { ...event, metadata: { ...event.metadata, ...missMetadata(found.miss) } } satisfies ChatStreamEvent;
          } else yield event;
        }
      },
    });

  return {
    middleware,
    stats,
    semantic,
    invalidateDocuments: (tenantId, documentIds) => backend.invalidateDocuments(tenantId, documentIds),
  };
}

function missMetadata(miss: MissContext): ResponseMetadata {
  return miss.shadow ? { cache: 'miss', cache_shadow: 'hit' } : { cache: 'miss' };
}

// Same text, or close enough in meaning that serving the cached one would have been fine.
async function similarAnswers(semantic: SemanticCache | undefined, cached: string, real: string): Promise<boolean> {
  const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
  if (norm(cached) === norm(real)) return true;
  if (!semantic) return false;
  const [a, b] = await Promise.all([semantic.embed(cached), semantic.embed(real)]);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot >= 0.9;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
