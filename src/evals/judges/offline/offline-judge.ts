/**
 * The offline support judge: no LLM, a heuristic. Every claim is judged against every chunk on
 * its own (never against all chunks joined into one string), with the evidence span, so a
 * report names the chunk behind each verdict. Fast enough to run on every golden case.
 */
import type { EmbeddingModel } from '../../../core/model.ts';
import { createOfflineEmbedder } from '../../../providers/offline/embedder-factory.ts';
import type { EvalContext } from '../../types.ts';
import type { AttributionCell, AttributionGrid, Claim, ClaimVerdict, SupportJudge } from '../judge.ts';
import { claimFeatures, type ClaimFeatures } from './claim-features.ts';
import { DEFAULT_THRESHOLDS, judgeCell, type ScoredCell, type SupportThresholds } from './cell-verdict.ts';
import { indexChunk, type EvidenceWindow, type IndexedChunk } from './context-index.ts';
import { idfWeights } from './term-weights.ts';

export const OFFLINE_JUDGE_VERSION = 'offline-v1';

/** Chunks whose analysis one judge remembers (an eval's retrieved chunks repeat across questions). */
const CHUNK_MEMO_SIZE = 4096;

export interface OfflineJudgeOptions {
  /** Sentence embedder for claim–evidence similarity; default the offline SIF embedder. */
  embedder?: EmbeddingModel;
  thresholds?: Partial<SupportThresholds>;
}

/** Creates the offline heuristic SupportJudge. */
export function createOfflineJudge(options: OfflineJudgeOptions = {}): SupportJudge {
  return new OfflineSupportJudge(options);
}

/** Claim × chunk support by word coverage, SIF similarity and number / entity / negation checks. */
export class OfflineSupportJudge implements SupportJudge {
  readonly name = 'plumb-offline';
  readonly version = OFFLINE_JUDGE_VERSION;
  readonly kind = 'heuristic' as const;
  private readonly thresholds: SupportThresholds;
  private embedderInstance: EmbeddingModel | undefined;
  private readonly chunkMemo = new Map<string, IndexedChunk>();

  constructor(options: OfflineJudgeOptions = {}) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
    this.embedderInstance = options.embedder;
  }

  /** Judges each claim against each context chunk. */
  async judge(claims: Claim[], contexts: EvalContext[]): Promise<AttributionGrid> {
    if (claims.length === 0) return { claims: [], cells: [], perClaim: [] };
    const features = claims.map(claimFeatures);
    const chunks = contexts.map((context) => this.indexed(context));
    await this.embedAll(features, chunks.flatMap((c) => c.windows).filter((w) => w.vector === undefined));
    const weights = idfWeights(chunks.flatMap((c) => c.sentenceTerms));

    const cells: AttributionCell[] = [];
    const perClaim: ClaimVerdict[] = [];
    for (const claim of features) {
      const scored = chunks.map((chunk) => judgeCell(claim, chunk, weights, this.thresholds));
      for (const s of scored) cells.push(s.cell);
      perClaim.push(claimVerdict(claim.claim.id, scored));
    }
    return { claims, cells, perClaim };
  }

  /**
   * A chunk's analysis (sentences, windows, terms, window vectors), remembered across calls: an
   * eval judges the same retrieved chunks for many questions, and the analysis is most of the cost.
   */
  private indexed(context: EvalContext): IndexedChunk {
    const key = `${context.chunkId}\u0000${context.text}`;
    const known = this.chunkMemo.get(key);
    if (known) {
      // Refresh its place in the least-recently-used order.
      this.chunkMemo.delete(key);
      this.chunkMemo.set(key, known);
      return known;
    }
    const fresh = indexChunk(context);
    this.chunkMemo.set(key, fresh);
    if (this.chunkMemo.size > CHUNK_MEMO_SIZE) this.chunkMemo.delete(this.chunkMemo.keys().next().value!);
    return fresh;
  }

  private async embedAll(claims: ClaimFeatures[], windows: EvidenceWindow[]): Promise<void> {
    this.embedderInstance ??= createOfflineEmbedder();
    const embedder = this.embedderInstance;
    const texts = [...claims.map((c) => c.claim.text), ...windows.map((w) => w.text)];
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += embedder.maxBatchSize) {
      vectors.push(...(await embedder.embed(texts.slice(i, i + embedder.maxBatchSize), { purpose: 'document' })).vectors);
    }
    claims.forEach((c, i) => (c.vector = vectors[i]));
    windows.forEach((w, i) => (w.vector = vectors[claims.length + i]));
  }
}

/** A claim's verdict over all chunks: the best support, else the surest contradiction, else unsupported. */
function claimVerdict(claimId: string, scored: ScoredCell[]): ClaimVerdict {
  if (scored.length === 0) return { claimId, verdict: 'unsupported', bestChunkId: null, confidence: 1 };
  const supported = scored.filter((s) => s.cell.verdict === 'supported').sort((a, b) => b.support - a.support)[0];
  if (supported) return { claimId, verdict: 'supported', bestChunkId: supported.cell.chunkId, confidence: supported.cell.confidence };
  const contradicted = scored.filter((s) => s.cell.verdict === 'contradicted').sort((a, b) => b.cell.confidence - a.cell.confidence)[0];
  if (contradicted) return { claimId, verdict: 'contradicted', bestChunkId: contradicted.cell.chunkId, confidence: contradicted.cell.confidence };
  // Unsupported everywhere: name the nearest miss, and be as unsure as that miss was close.
  const nearest = [...scored].sort((a, b) => b.support - a.support)[0]!;
  return { claimId, verdict: 'unsupported', bestChunkId: nearest.cell.chunkId, confidence: nearest.cell.confidence };
}
