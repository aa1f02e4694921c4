/**
 * The offline default embedder, chosen by bench/stsb (STS-B dev Spearman and passages/s):
 * SIF over wink/GloVe 100d vectors, int8 cache, common component derived from the vectors.
 */
import type { EmbeddingModel } from '../../core/model.ts';
import { SifEmbedder } from './sif-embedder.ts';

export interface OfflineEmbedderOptions {
  /** Where the word-vector cache lives; default `$PLUMB_CACHE_DIR` or `~/.cache/plumb`. */
  cacheDir?: string;
}

/** plumb's default offline EmbeddingModel; vectors load lazily on the first embed. */
export function createOfflineEmbedder(options: OfflineEmbedderOptions = {}): EmbeddingModel {
  return new SifEmbedder(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir });
}
