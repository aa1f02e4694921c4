/**
 * An EmbeddingModel that answers from vectors computed beforehand (use-lite-cosines.ts ran the real
 * USE-lite over every question once, ~20 minutes), so run.ts replays 20,000 pairs through the real
 * SemanticCache without embedding them again. A text it was not given is an error, never a guess.
 */
import type { EmbeddingModel, EmbedResult } from '../../src/core/model.ts';
import { ZERO_COST } from '../../src/core/usage.ts';

export class PrecomputedEncoder implements EmbeddingModel {
  readonly specificationVersion = 'v1';
  readonly provider = 'precomputed';
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxBatchSize = 10_000;
  readonly #vectors: Map<string, Float32Array>;

  constructor(modelId: string, vectors: Map<string, Float32Array>) {
    this.modelId = modelId;
    this.#vectors = vectors;
    this.dimensions = vectors.values().next().value?.length ?? 0;
  }

  async embed(texts: string[]): Promise<EmbedResult> {
    const vectors = texts.map((t) => {
      const v = this.#vectors.get(t);
      if (!v) throw new Error(`no precomputed ${this.modelId} vector for ${JSON.stringify(t.slice(0, 60))}`);
      return v;
    });
    return { vectors, usage: { inputTokens: 0, outputTokens: 0 }, cost: ZERO_COST };
  }
}
