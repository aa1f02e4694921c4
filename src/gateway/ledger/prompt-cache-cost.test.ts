import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/model.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { createAnthropicChat } from '../../providers/anthropic/index.ts';
import { startAnthropicWireServer, streamText } from '../../providers/testing/index.ts';
import type { AnthropicWireServer } from '../../providers/testing/index.ts';
import { applyMigrations, MIGRATIONS } from '../../store/sqlite/migrations.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { composeChat } from '../middleware.ts';
import { ledgerMiddleware } from './ledger-middleware.ts';

// Claude Sonnet 4's list price: $3 input, $0.30 cache read, $15 output; no cache-write rate given,
// so writes cost the default 1.25 × input = $3.75 per million.
const SONNET: ModelPrice = { inputPerMTok: 3, cachedInputPerMTok: 0.3, outputPerMTok: 15 };
const PROMPT: ChatRequest = {
  messages: [
    { role: 'system', content: 'A long, stable system prompt worth caching.', cacheBreakpoint: true },
    { role: 'user', content: 'Q' },
  ],
  tenantId: 'acme',
};
const WRITE = { input_tokens: 30, output_tokens: 5, cache_creation_input_tokens: 2000, cache_read_input_tokens: 0 };
const READ = { input_tokens: 30, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 2000 };

let dir: string;
let store: SqliteStore | undefined;
let server: AnthropicWireServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-prompt-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await store?.close();
  await server?.close();
  store = server = undefined;
});

async function gatewayOver(replies: (typeof WRITE)[], price: ModelPrice) {
  server = await startAnthropicWireServer(replies.map((usage, i) => ({ type: 'message' as const, text: `answer ${i}`, usage })));
  store = SqliteStore.open({ path: join(dir, `${Math.random().toString(36).slice(2)}.db`) });
  const provider = createAnthropicChat({ baseURL: server.baseURL, apiKey: 'sk-ant-test', model: 'claude-sonnet-4-20250514', maxOutputTokens: 64, price });
  return composeChat(provider, ledgerMiddleware({ store, priceOf: () => price }));
}

describe('prompt-cache writes in the ledger', () => {
  it('books a 2,000-token cache write at 1.25 × input and the read of it at the cached rate, to the nano-dollar', async () => {
    const model = await gatewayOver([WRITE, READ, WRITE, READ], SONNET);
    const write = await model.generate(PROMPT);
    const read = await model.generate(PROMPT);
    expect(write.usage).toEqual({ inputTokens: 2030, outputTokens: 5, cacheWriteInputTokens: 2000 });
    expect(read.usage).toEqual({ inputTokens: 2030, outputTokens: 5, cachedInputTokens: 2000 });
    // The same two calls streamed: the usage comes from message_start / message_delta.
    await streamText(model.stream(PROMPT));
    await streamText(model.stream(PROMPT));

    const rows = await store!.listLedger('acme');
    // 30 × $3 + 2000 × $3.75 + 5 × $15 per million = 90,000 + 7,500,000 + 75,000 nano-dollars
    const writeNano = 7_665_000;
    // 30 × $3 + 2000 × $0.30 + 5 × $15 per million = 90,000 + 600,000 + 75,000 nano-dollars
    const readNano = 765_000;
    expect(rows.map((r) => [r.streamed, r.inputTokens, r.cachedInputTokens, r.cacheWriteInputTokens, r.costNanoUsd])).toEqual([
      [false, 2030, 0, 2000, writeNano],
      [false, 2030, 2000, 0, readNano],
      [true, 2030, 0, 2000, writeNano],
      [true, 2030, 2000, 0, readNano],
    ]);
    // The provider-side cost agrees with the ledger's integer booking.
    expect(Math.round(write.cost.usd * 1e9)).toBe(writeNano);
    expect(Math.round(read.cost.usd * 1e9)).toBe(readNano);

    const totals = await store!.ledgerTotals('acme');
    expect(totals).toEqual({
      requests: 4,
      inputTokens: 4 * 2030,
      outputTokens: 20,
      cachedInputTokens: 4000,
      cacheWriteInputTokens: 4000,
      reasoningTokens: 0,
      costNanoUsd: 2 * (writeNano + readNano),
      costUsd: 0.01686,
    });
    expect(totals.costNanoUsd).toBe(rows.reduce((sum, r) => sum + r.costNanoUsd, 0));
  });

  it('uses a configured cache-write rate (Anthropic 1-hour cache: 2 × input) instead of the default', async () => {
    const model = await gatewayOver([WRITE], { ...SONNET, cacheWriteInputPerMTok: 6 });
    await model.generate(PROMPT);
    const [row] = await store!.listLedger('acme');
    // 90,000 + 2000 × 6000 + 75,000
    expect(row).toMatchObject({ cacheWriteInputTokens: 2000, costNanoUsd: 12_165_000 });
  });
});

describe('ledger migration 5', () => {
  it('adds cache_write_input_tokens to a version-4 database, keeping its rows (writes read as 0)', () => {
    const path = join(dir, 'v4.db');
    const old = new Database(path);
    applyMigrations(old, MIGRATIONS.filter((m) => m.version <= 4));
    old.prepare('INSERT INTO tenants (id, created_at) VALUES (?, ?)').run('acme', '2026-01-01T00:00:00.000Z');
    old
      .prepare(
        `INSERT INTO ledger (tenant_id, id, route, provider, model, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
           cost_nano_usd, cache_hit, latency_ms, first_token_ms, status, streamed, attempts, tags, created_at, request_id, trace_id)
         VALUES ('acme', 'old', 'r', 'anthropic', 'm', 2030, 5, 0, 0, 6_255_000, 'none', 1, NULL, 'ok', 0, 1, '[]', '2026-01-01T00:00:00.000Z', 'q', NULL)`.replace('6_255_000', '6255000'),
      )
      .run();
    old.close();

    store = SqliteStore.open({ path });
    return (async () => {
      expect(await store!.listLedger('acme')).toMatchObject([{ id: 'old', inputTokens: 2030, cacheWriteInputTokens: 0, costNanoUsd: 6_255_000 }]);
      expect((await store!.ledgerTotals('acme')).cacheWriteInputTokens).toBe(0);
      expect(() => store!.db.prepare("UPDATE ledger SET cache_write_input_tokens = -1 WHERE id = 'old'").run()).toThrow(/CHECK/);
    })();
  });
});
