import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest } from '../../core/model.ts';
import type { LedgerEntry } from '../../core/store.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import { trace } from '../../observe/tracer.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { OpenAIWireScript, OpenAIWireServer } from '../../providers/testing/index.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { composeChat, wrapChat } from '../middleware.ts';
import type { ChatMiddleware } from '../middleware.ts';
import { ledgerCostNanoUsd } from './ledger-cost.ts';
import { ledgerMiddleware } from './ledger-middleware.ts';
import { streamText as drain } from '../../providers/testing/stream-events.ts';

const PRICE: ModelPrice = { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6, reasoningPerMTok: 2.4 };
const ASK: ChatRequest = { messages: [{ role: 'user', content: 'What does the ledger book?' }], tenantId: 'acme', tags: ['test'] };

let dir: string;
let store: SqliteStore;
const servers: OpenAIWireServer[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-ledger-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await store?.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A fresh store and a wire server running `script`, behind the ledger. */
async function setUp(script: OpenAIWireScript, inner: ChatMiddleware[] = []): Promise<{ model: ChatModel; provider: ChatModel }> {
  store = SqliteStore.open({ path: join(dir, `${Math.random().toString(36).slice(2)}.db`) });
  const server = await startOpenAIWireServer(script);
  servers.push(server);
  const provider = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'gpt-4o-mini', providerName: 'wire', price: PRICE, timeoutMs: 5000 });
  const model = composeChat(provider, ledgerMiddleware({ store, priceOf: () => PRICE }), ...inner);
  return { model, provider };
}


/** The current test's store, looked up at booking time, so a nested ledger would book into it too. */
const sameStore = { appendLedgerEntry: (entry: LedgerEntry) => store.appendLedgerEntry(entry) };

/** A plain retry layer (as resilience will add), reporting its retries the way inner layers do. */
const retryOnce: ChatMiddleware = (next) =>
  wrapChat(next, {
    generate: async (request) => {
      try {
        return await next.generate(request);
      } catch {
        const response = await next.generate(request);
        return { ...response, metadata: { ...response.metadata, retries: 1 } };
      }
    },
  });

describe('ledger middleware', () => {
  it('books a generate call with cached and reasoning tokens, each at its own rate', async () => {
    const { model } = await setUp([{ type: 'chat', text: 'One row.', usage: { prompt_tokens: 1000, completion_tokens: 500, cached_tokens: 600, reasoning_tokens: 200 } }]);
    await model.generate(ASK);
    const [row, ...rest] = await store.listLedger('acme');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      tenantId: 'acme', route: 'gpt-4o-mini', provider: 'wire', model: 'gpt-4o-mini', status: 'ok', streamed: false, cacheHit: 'none',
      inputTokens: 1000, outputTokens: 500, cachedInputTokens: 600, reasoningTokens: 200, attempts: 1, tags: ['test'], firstTokenMs: null,
      // 400 × 0.15 + 600 × 0.075 + 300 × 0.6 + 200 × 2.4 ($/MTok) = 765 µ$
      costNanoUsd: 60_000 + 45_000 + 180_000 + 480_000,
    });
    expect(row!.latencyMs).toBeGreaterThan(0);
  });

  it('books a stream from the usage of its final chunk (include_usage), with time to first token', async () => {
    const { model } = await setUp([{ type: 'chat', text: 'Streams are booked once.', usage: { prompt_tokens: 40, completion_tokens: 6, cached_tokens: 32 } }]);
    expect(await drain(model.stream(ASK))).toBe('Streams are booked once.');
    const rows = await store.listLedger('acme');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ streamed: true, status: 'ok', inputTokens: 40, outputTokens: 6, cachedInputTokens: 32, costNanoUsd: 8 * 150 + 32 * 75 + 6 * 600 });
    expect(rows[0]!.firstTokenMs).toBeGreaterThan(0);
    expect(rows[0]!.firstTokenMs).toBeLessThanOrEqual(rows[0]!.latencyMs);
    expect(servers[0]!.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('books what a stream cut midway used, with status error, and rethrows', async () => {
    const { model } = await setUp([{ type: 'chat', text: 'one two three four five six', cutAfter: 4 }]);
    let text = '';
    await expect(async () => {
      for await (const event of model.stream(ASK)) if (event.type === 'text-delta') text += event.text;
    }).rejects.toMatchObject({ code: 'upstream_error' });
    expect(text).toBe('one two three ');
    const rows = await store.listLedger('acme');
    expect(rows).toHaveLength(1);
    const outputTokens = getTokenizer().count(text);
    expect(rows[0]).toMatchObject({ status: 'upstream_error', streamed: true, outputTokens });
    expect(rows[0]!.inputTokens).toBeGreaterThan(5);
    expect(rows[0]!.costNanoUsd).toBe(ledgerCostNanoUsd({ inputTokens: rows[0]!.inputTokens, outputTokens }, PRICE));
  });

  it('books a stream the caller stopped reading as cancelled, with the tokens it received', async () => {
    const { model } = await setUp([{ type: 'chat', text: 'alpha beta gamma delta', delayMs: 5 }]);
    let received = '';
    for await (const event of model.stream(ASK)) {
      if (event.type !== 'text-delta') continue;
      received = event.text;
      break;
    }
    const rows = await store.listLedger('acme');
    expect(received).toBe('alpha ');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'cancelled', outputTokens: getTokenizer().count('alpha ') });
    expect(rows[0]!.outputTokens).toBeGreaterThan(0);
  });

  it('books a retried request once, with its final outcome and attempts', async () => {
    const { model } = await setUp(
      [{ type: 'error', status: 500, message: 'boom', errorType: 'server_error' }, { type: 'chat', text: 'ok', usage: { prompt_tokens: 10, completion_tokens: 1 } }],
      [retryOnce],
    );
    await model.generate(ASK);
    expect(servers[0]!.requests).toHaveLength(2);
    const rows = await store.listLedger('acme');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'ok', attempts: 2, inputTokens: 10, outputTokens: 1 });
  });

  it('books a failed request once with its error code and no tokens', async () => {
    const { model } = await setUp([
      { type: 'error', status: 503, message: 'overloaded', errorType: 'server_error' },
      { type: 'error', status: 503, message: 'still overloaded', errorType: 'server_error' },
    ], [retryOnce]);
    await expect(model.generate(ASK)).rejects.toMatchObject({ code: 'upstream_error' });
    const rows = await store.listLedger('acme');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'upstream_error', inputTokens: 0, outputTokens: 0, costNanoUsd: 0 });
  });

  it('books nothing twice when ledger layers nest, and takes provider and cache from inner metadata', async () => {
    const cacheSays: ChatMiddleware = (next) =>
      wrapChat(next, { generate: async (request) => ({ ...(await next.generate(request)), metadata: { cache: 'exact', provider: 'cache' } }) });
    const { model } = await setUp([{ type: 'chat', text: 'cached', usage: { prompt_tokens: 10, completion_tokens: 2 } }], [ledgerMiddleware({ store: sameStore, priceOf: () => PRICE }), cacheSays]);
    await model.generate({ ...ASK, model: 'alias-fast' });
    const rows = await store.listLedger('acme');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cacheHit: 'exact', provider: 'cache', route: 'alias-fast', costNanoUsd: 0, inputTokens: 0 });
  });

  it('records the trace id of the span the call runs in', async () => {
    const { model } = await setUp([{ type: 'chat', text: 'traced' }]);
    const traceId = await trace('test', { tenantId: 'acme' }, async (span) => {
      await model.generate(ASK);
      return span.traceId;
    });
    expect((await store.listLedger('acme'))[0]!.traceId).toBe(traceId);
  });

  it('keeps totals equal to the sum of rows over 200 mixed requests', async () => {
    const usages = [
      { prompt_tokens: 1234, completion_tokens: 77, cached_tokens: 1024 },
      { prompt_tokens: 9, completion_tokens: 3 },
      { prompt_tokens: 52_001, completion_tokens: 4_099, reasoning_tokens: 3_333 },
    ];
    const { model } = await setUp((_request, i) => {
      if (i % 10 === 7) return { type: 'error', status: 429, message: 'slow down', errorType: 'rate_limit_exceeded' };
      if (i % 10 === 3) return { type: 'chat', text: 'cut off here and there', cutAfter: 3 };
      return { type: 'chat', text: `answer ${i}`, usage: usages[i % usages.length]! };
    });
    const tenants = ['acme', 'globex'];
    const run = async (i: number) => {
      const request = { ...ASK, tenantId: tenants[i % 2]! };
      try {
        if (i % 2 === 0) await model.generate(request);
        else await drain(model.stream(request));
      } catch {
        // failures are booked too
      }
    };
    for (let i = 0; i < 200; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => run(i + j)));

    let requests = 0;
    const statuses = new Set<string>();
    for (const tenant of tenants) {
      const rows = await store.listLedger(tenant);
      const totals = await store.ledgerTotals(tenant);
      requests += rows.length;
      expect(totals.requests).toBe(rows.length);
      expect(totals.costNanoUsd).toBe(rows.reduce((sum, row) => sum + row.costNanoUsd, 0));
      expect(totals.inputTokens).toBe(rows.reduce((sum, row) => sum + row.inputTokens, 0));
      expect(totals.outputTokens).toBe(rows.reduce((sum, row) => sum + row.outputTokens, 0));
      expect(totals.cachedInputTokens).toBe(rows.reduce((sum, row) => sum + row.cachedInputTokens, 0));
      expect(totals.reasoningTokens).toBe(rows.reduce((sum, row) => sum + row.reasoningTokens, 0));
      for (const row of rows) statuses.add(row.status);
    }
    expect(statuses).toEqual(new Set(['ok', 'rate_limited', 'upstream_error']));
    expect(requests).toBe(200);
    expect(servers[0]!.requests).toHaveLength(200);
  });

  it('answers without waiting for the row to commit, and reports a row the store refused', async () => {
    await setUp([{ type: 'chat', text: 'Booked later.' }, { type: 'chat', text: 'Refused.' }]);
    const provider = createOpenAICompatibleChat({ baseURL: servers[0]!.baseURL, model: 'gpt-4o-mini', providerName: 'wire', price: PRICE, timeoutMs: 5000 });
    let release: () => void = () => undefined;
    const slowStore = { appendLedgerEntry: () => new Promise<void>((resolve) => (release = resolve)) };
    const slow = composeChat(provider, ledgerMiddleware({ store: slowStore, priceOf: () => PRICE }));
    expect((await slow.generate(ASK)).text).toBe('Booked later.');
    release();

    const refused: LedgerEntry[] = [];
    const failing = composeChat(
      provider,
      ledgerMiddleware({ store: { appendLedgerEntry: () => Promise.reject(new Error('disk full')) }, priceOf: () => PRICE, onBookingError: (_error, entry) => refused.push(entry) }),
    );
    expect((await failing.generate(ASK)).text).toBe('Refused.');
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused.map((entry) => [entry.tenantId, entry.status])).toEqual([['acme', 'ok']]);
  });
});
