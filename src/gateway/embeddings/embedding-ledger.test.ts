import { describe, expect, it } from 'vitest';
import type { EmbeddingModel, EmbedResult } from '../../core/model.ts';
import type { LedgerEntry } from '../../core/store.ts';
import { InFlightCalls } from '../ledger/in-flight-calls.ts';
import { embeddingLedger } from './embedding-ledger.ts';

describe('embeddingLedger', () => {
  it('counts a call in flight until its row is booked, whether it succeeds or fails', async () => {
    const rows: LedgerEntry[] = [];
    const inFlight = new InFlightCalls();
    let answer!: (result: EmbedResult) => void;
    let fail!: (error: Error) => void;
    const upstream: EmbeddingModel = {
      specificationVersion: 'v1',
      provider: 'up',
      modelId: 'e',
      dimensions: 2,
      maxBatchSize: 8,
      embed: () => new Promise<EmbedResult>((resolve, reject) => ((answer = resolve), (fail = reject))),
    };
    const model = embeddingLedger({ store: { appendLedgerEntry: async (entry) => void rows.push(entry) }, defaultTenant: 'default', inFlight })(upstream);

    const ok = model.embed(['a']);
    expect(inFlight.size).toBe(1);
    const drained = inFlight.drained(1_000);
    answer({ vectors: [Float32Array.of(1, 0)], usage: { inputTokens: 1, outputTokens: 0 }, cost: { usd: 0 } });
    await ok;
    expect(await drained).toBe(true);
    expect(rows.map((r) => r.status)).toEqual(['ok']);

    const failed = model.embed(['b']).catch((error: unknown) => error);
    expect(inFlight.size).toBe(1);
    fail(new Error('upstream down'));
    await failed;
    expect(inFlight.size).toBe(0);
    expect(rows).toHaveLength(2);
  });
});
