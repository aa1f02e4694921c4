/**
 * Real BPE token counts (gpt-tokenizer), so chunk sizes, overlaps and prompt budgets mean what
 * a model will see. o200k_base (GPT-4o and later) by default; cl100k_base for older models.
 */
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';

export type TokenEncoding = 'o200k_base' | 'cl100k_base';

export interface Tokenizer {
  readonly encoding: TokenEncoding;
  encode(text: string): number[];
  decode(tokens: number[]): string;
  count(text: string): number;
}

const encoders = { o200k_base: o200k, cl100k_base: cl100k } as const;

/** A tokenizer for the given BPE encoding. */
export function getTokenizer(encoding: TokenEncoding = 'o200k_base'): Tokenizer {
  const enc = encoders[encoding];
  return {
    encoding,
    encode: (text) => enc.encode(text),
    decode: (tokens) => enc.decode(tokens),
    count: (text) => enc.countTokens(text),
  };
}
