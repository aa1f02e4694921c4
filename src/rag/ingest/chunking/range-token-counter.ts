/** Counts tokens of ranges of one text, each range at most once (the chunker asks about some twice). */
import type { Tokenizer } from '../../../core/tokenizer.ts';

export class RangeTokenCounter {
  private readonly cache = new Map<number, number>();
  private readonly stride: number;

  constructor(
    readonly text: string,
    private readonly tokenizer: Tokenizer,
  ) {
    this.stride = text.length + 1;
  }

  /** Tokens in text.slice(start, end). */
  count(start: number, end: number): number {
    const key = start * this.stride + end;
    let tokens = this.cache.get(key);
    if (tokens === undefined) {
      tokens = this.tokenizer.count(this.text.slice(start, end));
      this.cache.set(key, tokens);
    }
    return tokens;
  }
}
