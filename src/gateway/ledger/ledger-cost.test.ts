import { describe, expect, it } from 'vitest';
import { costOf } from '../../core/usage.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { ledgerCostNanoUsd, nanoUsdFromUsd, usdFromNanoUsd } from './ledger-cost.ts';

const MINI: ModelPrice = { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 };

describe('ledgerCostNanoUsd', () => {
  it('bills cached input at its own rate', () => {
    // 400 uncached × 0.15 + 600 cached × 0.075 + 500 output × 0.6, in $/MTok × 1000 nano
    expect(ledgerCostNanoUsd({ inputTokens: 1000, outputTokens: 500, cachedInputTokens: 600 }, MINI)).toBe(60_000 + 45_000 + 300_000);
  });

  it('bills prompt-cache writes at 1.25 × input by default, or at the configured rate', () => {
    const sonnet: ModelPrice = { inputPerMTok: 3, cachedInputPerMTok: 0.3, outputPerMTok: 15 };
    // 30 plain × 3 + 2000 writes × 3.75 + 900 reads × 0.3 + 5 × 15 ($/MTok) × 1000 nano
    const usage = { inputTokens: 2930, outputTokens: 5, cacheWriteInputTokens: 2000, cachedInputTokens: 900 };
    expect(ledgerCostNanoUsd(usage, sonnet)).toBe(90_000 + 7_500_000 + 270_000 + 75_000);
    expect(ledgerCostNanoUsd(usage, { ...sonnet, cacheWriteInputPerMTok: 6 })).toBe(90_000 + 12_000_000 + 270_000 + 75_000);
    expect(Math.round(costOf(usage, sonnet).usd * 1e9)).toBe(7_935_000);
  });

  it('bills reasoning tokens (part of the output) at the reasoning rate when the price names one', () => {
    const usage = { inputTokens: 100, outputTokens: 500, reasoningTokens: 200 };
    expect(ledgerCostNanoUsd(usage, { ...MINI, reasoningPerMTok: 2 })).toBe(15_000 + 300 * 600 + 200 * 2000);
    expect(ledgerCostNanoUsd(usage, MINI)).toBe(15_000 + 500 * 600);
  });

  it('agrees with costOf to the nano-dollar when no reasoning rate is set', () => {
    const prices: ModelPrice[] = [MINI, { inputPerMTok: 1 / 3, outputPerMTok: 12.345 }, { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 }];
    for (let i = 0; i < 500; i++) {
      const inputTokens = (i * 7919) % 90_001;
      const usage = { inputTokens, outputTokens: (i * 104_729) % 16_001, cachedInputTokens: Math.min(inputTokens, (i * 31) % 5000) };
      const price = prices[i % prices.length]!;
      expect(ledgerCostNanoUsd(usage, price)).toBe(Math.round(costOf(usage, price).usd * 1e9));
    }
  });

  it('is an integer, 0 without a price, and converts to dollars once', () => {
    expect(Number.isInteger(ledgerCostNanoUsd({ inputTokens: 7, outputTokens: 3 }, { inputPerMTok: 0.01875, outputPerMTok: 1 / 3 }))).toBe(true);
    expect(ledgerCostNanoUsd({ inputTokens: 7, outputTokens: 3 }, undefined)).toBe(0);
    expect(nanoUsdFromUsd(0.0001234567891)).toBe(123_457);
    expect(nanoUsdFromUsd(Number.NaN)).toBe(0);
    expect(usdFromNanoUsd(1_500_000_000)).toBe(1.5);
  });
});
