/** Chunker settings, their defaults and their checks. */
import { PlumbError } from '../../../core/errors.ts';
import type { TokenEncoding } from '../../../core/tokenizer.ts';

export interface ChunkOptions {
  /** Hard upper bound on tokens per chunk. Default 512. */
  maxTokens?: number;
  /** Tokens of trailing context a chunk repeats from the one before it in its section. Default 64. */
  overlapTokens?: number;
  /** Default o200k_base. */
  encoding?: TokenEncoding;
}

export type ResolvedChunkOptions = Required<ChunkOptions>;

/** Below this a single emoji or rare character could not fit a chunk. */
const MIN_MAX_TOKENS = 16;

/** Options with defaults filled in; throws invalid_config for settings that cannot work. */
export function resolveChunkOptions(options: ChunkOptions = {}): ResolvedChunkOptions {
  const maxTokens = options.maxTokens ?? 512;
  const overlapTokens = options.overlapTokens ?? 64;
  if (!Number.isInteger(maxTokens) || maxTokens < MIN_MAX_TOKENS) {
    throw new PlumbError('invalid_config', `chunk maxTokens must be an integer of at least ${MIN_MAX_TOKENS}, got ${maxTokens}`, {
      hint: 'set rag.chunking.maxTokens to e.g. 512',
    });
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= maxTokens) {
    throw new PlumbError('invalid_config', `chunk overlapTokens must be an integer from 0 to maxTokens - 1, got ${overlapTokens}`, {
      hint: 'an overlap of about an eighth of maxTokens (e.g. 64 for 512) works well',
    });
  }
  return { maxTokens, overlapTokens, encoding: options.encoding ?? 'o200k_base' };
}
