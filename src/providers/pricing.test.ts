import { describe, expect, it } from 'vitest';
import { costOf } from '../core/usage.ts';
import { listPriceOf, OFFLINE_PRICE, resolvePrice } from './pricing.ts';

describe('list prices', () => {
  it('matches dated snapshots to their family, preferring the longest family name', () => {
    expect(listPriceOf('gpt-4o-2024-08-06')?.inputPerMTok).toBe(2.5);
    expect(listPriceOf('gpt-4o-mini-2024-07-18')?.inputPerMTok).toBe(0.15);
    expect(listPriceOf('gpt-4.1-mini-2025-04-14')?.outputPerMTok).toBe(1.6);
    expect(listPriceOf('claude-3-5-haiku-latest')?.inputPerMTok).toBe(0.8);
    expect(listPriceOf('claude-sonnet-4-20250514')?.cachedInputPerMTok).toBe(0.3);
    expect(listPriceOf('text-embedding-3-large')?.inputPerMTok).toBe(0.13);
  });

  it('knows nothing of local models, and does not match a family by a bare prefix', () => {
    expect(listPriceOf('llama3.2:3b')).toBeUndefined();
    expect(listPriceOf('gpt-4oxyz')).toBeUndefined();
    expect(resolvePrice('qwen2.5:7b')).toEqual(OFFLINE_PRICE);
    expect(costOf({ inputTokens: 1e6, outputTokens: 1e6 }, resolvePrice('qwen2.5:7b')).usd).toBe(0);
  });

  it('lets a configured price override the list', () => {
    const negotiated = { inputPerMTok: 1, outputPerMTok: 2 };
    expect(resolvePrice('gpt-4o', negotiated)).toBe(negotiated);
    expect(costOf({ inputTokens: 1e6, outputTokens: 1e6 }, resolvePrice('gpt-4o')).usd).toBeCloseTo(12.5, 10);
  });
});
