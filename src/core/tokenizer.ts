/**
 * Real BPE token counts (gpt-tokenizer), so chunk sizes, overlaps and prompt budgets mean what
 * a model will see. o200k_base (GPT-4o and later) by default; cl100k_base for older models.
 *
 * An encoding's tables load on its first use, not on import: o200k_base costs ~190 ms and ~70 MB
 * of memory to load, which a gateway without budgets, limits or routing never needs.
 * `Plumb.warmUp()` loads it ahead of the first question where there are documents to ask about.
 */
import { createRequire } from 'node:module';

export type TokenEncoding = 'o200k_base' | 'cl100k_base';

export interface Tokenizer {
  readonly encoding: TokenEncoding;
  encode(text: string): number[];
  decode(tokens: number[]): string;
  count(text: string): number;
}

interface Encoder {
  encode(text: string): number[];
  decode(tokens: number[]): string;
  countTokens(text: string): number;
}

const require = createRequire(import.meta.url);
const loaded = new Map<TokenEncoding, Encoder>();

function encoder(encoding: TokenEncoding): Encoder {
  let enc = loaded.get(encoding);
  if (!enc) {
    // Synchronous, so counting stays a plain function call; the package ships a CommonJS build.
    enc = require(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
    loaded.set(encoding, enc);
  }
  return enc;
}

/** A tokenizer for the given BPE encoding (its tables load when it is first used). */
export function getTokenizer(encoding: TokenEncoding = 'o200k_base'): Tokenizer {
  return {
    encoding,
    encode: (text) => encoder(encoding).encode(text),
    decode: (tokens) => encoder(encoding).decode(tokens),
    count: (text) => encoder(encoding).countTokens(text),
  };
}

/** Whether an encoding's tables are loaded yet (for tests and warm-up). */
export function isTokenizerLoaded(encoding: TokenEncoding = 'o200k_base'): boolean {
  return loaded.has(encoding);
}
