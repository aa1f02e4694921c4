import { afterEach, describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ResponseMetadata } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { OpenAIWireServer, OpenAIWireScript } from '../../providers/testing/index.ts';
import type { CounterStore } from '../limits/counter-store.ts';
import { MemoryCounterStore } from '../limits/memory-counter-store.ts';
import { openTestRedisCounters, testPrefix } from '../limits/redis-test-counters.ts';
import { estimateInputTokens } from '../limits/request-estimate.ts';
import { ledgerCostNanoUsd } from '../ledger/ledger-cost.ts';
import { composeChat } from '../middleware.ts';
import type { TenantBudget } from './budget-config-schema.ts';
import { createBudgetMiddleware } from './budget-middleware.ts';
import type { BudgetMiddlewareOptions } from './budget-middleware.ts';
import { collectEvents as collect } from '../../providers/testing/stream-events.ts';

const servers: OpenAIWireServer[] = [];
const stores: CounterStore[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((s) => s.close()), ...stores.splice(0).map((s) => s.close())]);
});

// $1 per million input tokens = 1,000 nano-dollars per token; output twice that.
const price: ModelPrice = { inputPerMTok: 1, outputPerMTok: 2 };
const ask: ChatRequest = { messages: [{ role: 'user', content: 'How much budget is left?' }], maxOutputTokens: 40, tenantId: 'acme' };
const inputTokens = estimateInputTokens(ask);
const worstTokens = inputTokens + 40;
const worstUsd = (inputTokens * 1 + 40 * 2) / 1e6;
/** Replies using exactly the worst case, so a budget of N worst cases admits exactly N. */
const spendWorstCase: OpenAIWireScript = () => ({ type: 'chat', text: 'Some.', usage: { prompt_tokens: inputTokens, completion_tokens: 40 } });
const NOON = Date.UTC(2025, 0, 31, 12);
const MIDNIGHT = Date.UTC(2025, 1, 1);

function clock(start = NOON) {
  let t = start;
  return { now: () => t, set: (ms: number) => void (t = ms) };
}

async function provider(script: OpenAIWireScript): Promise<{ server: OpenAIWireServer; model: ChatModel }> {
  const server = await startOpenAIWireServer(script);
  servers.push(server);
  return { server, model: createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'wire-model', providerName: 'wire', price }) };
}

function budgeted(model: ChatModel, counters: CounterStore, tenants: Record<string, TenantBudget>, extra: Partial<BudgetMiddlewareOptions> = {}): ChatModel {
  return composeChat(model, createBudgetMiddleware({ counters, tenants, defaultTenant: 'default', priceOf: () => price, now: () => NOON, ...extra }));
}

async function memory(): Promise<CounterStore> {
  const store = new MemoryCounterStore();
  stores.push(store);
  return store;
}

async function redis(prefix?: string): Promise<CounterStore> {
  const store = await openTestRedisCounters(prefix);
  stores.push(store);
  return store;
}


describe.each([
  ['memory', memory],
  ['redis', () => redis()],
])('hard budget under 50 concurrent requests (%s)', (_name, open) => {
  it.each([
    ['tokens', { tokens: { daily: 10 * worstTokens }, mode: 'hard' } as TenantBudget],
    ['usd', { usd: { daily: 10 * worstUsd }, mode: 'hard' } as TenantBudget],
  ])('a %s budget for 10 requests admits exactly 10 and refuses 40 with 429', async (unit, budget) => {
    const { server, model } = await provider(spendWorstCase);
    const gated = budgeted(model, await open(), { acme: budget });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => gated.generate(ask)));

    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(ok).toHaveLength(10);
    expect(server.requests).toHaveLength(10);
    const spentTokens = ok.reduce((sum, r) => sum + r.usage.inputTokens + r.usage.outputTokens, 0);
    const spentUsd = ok.reduce((sum, r) => sum + r.cost.usd, 0);
    if (unit === 'tokens') expect(spentTokens).toBeLessThanOrEqual(10 * worstTokens);
    else expect(spentUsd).toBeLessThanOrEqual(10 * worstUsd + 1e-12);
    for (const r of ok) expect(r.metadata?.[unit === 'usd' ? 'budgetRemainingUsd' : 'budgetRemainingTokens']).toBeGreaterThanOrEqual(0);
    expect(refused).toHaveLength(40);
    for (const err of refused) {
      expect(err).toBeInstanceOf(PlumbError);
      expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: (MIDNIGHT - NOON) / 1000, details: { reason: 'budget', tenant: 'acme', unit, period: 'daily' } });
    }
  });
});

describe('budget middleware', () => {
  it('two replicas sharing one Redis never spend more than the budget together', async () => {
    const prefix = testPrefix();
    const { server, model } = await provider(spendWorstCase);
    const budget: Record<string, TenantBudget> = { acme: { tokens: { daily: 10 * worstTokens }, mode: 'hard' } };
    const replicas = [budgeted(model, await redis(prefix), budget), budgeted(model, await redis(prefix), budget)];
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => replicas[i % 2]!.generate(ask)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(server.requests).toHaveLength(10);
  });

  it('settles to the real usage, giving back the unused part of the reservation', async () => {
    const { model } = await provider(() => ({ type: 'chat', text: 'Hi.', usage: { prompt_tokens: 10, completion_tokens: 2 } }));
    const gated = budgeted(model, await memory(), { acme: { tokens: { daily: 1000, monthly: 5000 }, usd: { daily: 1 }, mode: 'hard' } });
    const first = await gated.generate(ask);
    expect(first.metadata).toEqual({ budgetRemainingTokens: 1000 - 12, budgetRemainingUsd: 1 - (10 + 2 * 2) / 1e6 });
    const second = await gated.generate(ask);
    expect(second.metadata?.['budgetRemainingTokens']).toBe(1000 - 24);
  });

  it('settles money with the ledger\'s pricing when given it, so spent equals the ledger to the nano-dollar', async () => {
    const { model } = await provider(() => ({ type: 'chat', text: 'Hi.', usage: { prompt_tokens: 1, completion_tokens: 0 } }));
    // 1 token at $0.0065/MTok is 6.5 nano-dollars: the ledger rounds it to 7, while rounding the
    // provider's float dollars (6.4999…e-9) gives 6. Budgets must book the ledger's 7.
    const awkward: ModelPrice = { inputPerMTok: 0.0065, outputPerMTok: 0 };
    const calls: Array<{ model: string; provider: string; inputTokens: number }> = [];
    const gated = budgeted(model, await memory(), { acme: { usd: { daily: 1 }, mode: 'soft' } }, {
      priceOf: () => awkward,
      costNanoOf: (call) => {
        calls.push({ model: call.model, provider: call.provider, inputTokens: call.usage.inputTokens });
        return ledgerCostNanoUsd(call.usage, awkward);
      },
    });
    const response = await gated.generate(ask);
    expect(calls).toEqual([{ model: 'wire-model', provider: 'wire', inputTokens: 1 }]);
    expect(response.metadata?.['budgetRemainingUsd']).toBe((1e9 - 7) / 1e9);
  });

  it('releases the whole reservation when the call fails', async () => {
    const counters = await memory();
    const { model } = await provider(() => ({ type: 'error', status: 503, message: 'overloaded', errorType: 'server_error' }));
    const gated = budgeted(model, counters, { acme: { tokens: { daily: worstTokens }, mode: 'hard' } });
    // Each failure frees what it reserved, so the next one fits again instead of a budget error.
    for (let i = 0; i < 3; i++) await expect(gated.generate(ask)).rejects.toMatchObject({ code: 'upstream_error' });
    const window = { kind: 'window' as const, key: 'budget:acme:tokens:2025-01-31', limit: worstTokens, resetAtMs: MIDNIGHT };
    expect(await counters.peek([window], NOON)).toEqual([worstTokens]);
  });

  it('caps a request without maxOutputTokens under a hard budget, so its reservation is a true worst case', async () => {
    const { server, model } = await provider(() => ({ type: 'chat', text: 'Hi.' }));
    const gated = budgeted(model, await memory(), { acme: { tokens: { daily: 100_000 }, mode: 'hard' } }, { defaultMaxOutputTokens: 256 });
    await gated.generate({ messages: ask.messages, tenantId: 'acme' });
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 256 });
  });

  it('refuses, without Retry-After, a request larger than the whole budget', async () => {
    const { server, model } = await provider(spendWorstCase);
    const gated = budgeted(model, await memory(), { acme: { tokens: { daily: worstTokens - 1 }, mode: 'hard' } });
    await expect(gated.generate(ask)).rejects.toMatchObject({ code: 'rate_limited', retryable: false, retryAfterSeconds: undefined });
    expect(server.requests).toHaveLength(0);
  });

  it('a soft budget lets the request through and flags it', async () => {
    const flagged: ResponseMetadata[] = [];
    const { server, model } = await provider(spendWorstCase);
    const gated = budgeted(model, await memory(), { '*': { usd: { monthly: worstUsd }, mode: 'soft' } }, { onSoftLimit: (e) => flagged.push(e.metadata) });
    const first = await gated.generate({ ...ask, tenantId: 'anyone' });
    expect(first.metadata).toMatchObject({ budgetExceeded: false, budgetRemainingUsd: 0 });
    const second = await gated.generate({ ...ask, tenantId: 'anyone' });
    expect(second.metadata).toMatchObject({ budgetExceeded: true });
    expect(second.metadata?.['budgetRemainingUsd']).toBeCloseTo(-worstUsd, 12);
    expect(flagged).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('uses the default tenant for requests without one, and leaves tenants without a budget alone', async () => {
    const { model } = await provider(spendWorstCase);
    const gated = budgeted(model, await memory(), { house: { tokens: { daily: worstTokens }, mode: 'hard' } }, { defaultTenant: 'house' });
    const { tenantId: _t, ...anonymous } = ask;
    await gated.generate(anonymous);
    await expect(gated.generate(anonymous)).rejects.toMatchObject({ details: { tenant: 'house' } });
    const free = await gated.generate({ ...ask, tenantId: 'free' });
    expect(free.metadata).toBeUndefined();
  });

  it('starts a new day at UTC midnight while the monthly budget keeps counting', async () => {
    const time = clock(Date.UTC(2025, 0, 14, 23, 59));
    const { model } = await provider(spendWorstCase);
    const gated = budgeted(model, await memory(), { acme: { tokens: { daily: worstTokens, monthly: 2 * worstTokens }, mode: 'hard' } }, { now: time.now });
    await gated.generate(ask);
    await expect(gated.generate(ask)).rejects.toMatchObject({ retryAfterSeconds: 60, details: { period: 'daily' } });
    time.set(Date.UTC(2025, 0, 15));
    await gated.generate(ask);
    // A fresh day, but the month is spent: wait until February.
    time.set(Date.UTC(2025, 0, 16));
    const monthly = await gated.generate(ask).catch((e: unknown) => e);
    expect(monthly).toMatchObject({ retryAfterSeconds: (MIDNIGHT - Date.UTC(2025, 0, 16)) / 1000, details: { period: 'monthly', resetsAt: '2025-02-01T00:00:00.000Z' } });
    time.set(MIDNIGHT - 1);
    await expect(gated.generate(ask)).rejects.toMatchObject({ retryAfterSeconds: 1 });
    time.set(MIDNIGHT);
    await expect(gated.generate(ask)).resolves.toMatchObject({ text: 'Some.' });
  });

  it('a stream reserves before its first byte and settles on its finish event', async () => {
    const { model } = await provider(() => ({ type: 'chat', text: 'one two', usage: { prompt_tokens: 10, completion_tokens: 2 } }));
    const gated = budgeted(model, await memory(), { acme: { tokens: { daily: 1000 }, mode: 'hard' } });
    const events = await collect(gated.stream(ask));
    expect(events.at(-1)).toMatchObject({ type: 'finish', metadata: { budgetRemainingTokens: 1000 - 12 } });
  });

  it('a stream cut midway books its input and the output it streamed', async () => {
    const counters = await memory();
    const { model } = await provider(() => ({ type: 'chat', text: 'alpha beta gamma delta', cutAfter: 3 }));
    const gated = budgeted(model, counters, { acme: { tokens: { daily: 1000 }, mode: 'hard' } });
    let streamed = '';
    const err = await (async () => {
      for await (const e of gated.stream(ask)) if (e.type === 'text-delta') streamed += e.text;
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_error' });
    expect(streamed).not.toBe('');
    const window = { kind: 'window' as const, key: 'budget:acme:tokens:2025-01-31', limit: 1000, resetAtMs: MIDNIGHT };
    expect(await counters.peek([window], NOON)).toEqual([1000 - inputTokens - getTokenizer().count(streamed)]);
  });

  it('a stream that fails before its first byte releases its reservation', async () => {
    const counters = await memory();
    const { model } = await provider(() => ({ type: 'error', status: 500, message: 'down', errorType: 'server_error' }));
    const gated = budgeted(model, counters, { acme: { tokens: { daily: 1000 }, mode: 'hard' } });
    await expect(collect(gated.stream(ask))).rejects.toMatchObject({ code: 'upstream_error' });
    const window = { kind: 'window' as const, key: 'budget:acme:tokens:2025-01-31', limit: 1000, resetAtMs: MIDNIGHT };
    expect(await counters.peek([window], NOON)).toEqual([1000]);
  });

  it('refuses with 503 (never calls the model) when its Redis is down', async () => {
    const store = await openTestRedisCounters();
    const { server, model } = await provider(spendWorstCase);
    const gated = budgeted(model, store, { acme: { tokens: { daily: 1000 }, mode: 'hard' } });
    await store.close();
    await expect(gated.generate(ask)).rejects.toMatchObject({ code: 'unavailable', status: 503, message: expect.stringContaining('127.0.0.1:6379') });
    expect(server.requests).toHaveLength(0);
  });
});
