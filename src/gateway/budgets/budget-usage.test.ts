import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/model.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { OpenAIWireServer } from '../../providers/testing/index.ts';
import type { CounterStore } from '../limits/counter-store.ts';
import { MemoryCounterStore } from '../limits/memory-counter-store.ts';
import { openTestRedisCounters, testPrefix } from '../limits/redis-test-counters.ts';
import { estimateInputTokens } from '../limits/request-estimate.ts';
import { composeChat } from '../middleware.ts';
import type { TenantBudget } from './budget-config-schema.ts';
import { createBudgetMiddleware } from './budget-middleware.ts';
import { readBudgetUsage } from './budget-usage.ts';

const servers: OpenAIWireServer[] = [];
const stores: CounterStore[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((s) => s.close()), ...stores.splice(0).map((s) => s.close())]);
});

// $1 per million input tokens = 1,000 nano-dollars per token; output 2,000.
const price: ModelPrice = { inputPerMTok: 1, outputPerMTok: 2 };
const ask: ChatRequest = { messages: [{ role: 'user', content: 'What is left of my budget?' }], maxOutputTokens: 40, tenantId: 'acme' };
const worstTokens = estimateInputTokens(ask) + 40;
const worstNanos = estimateInputTokens(ask) * 1000 + 40 * 2000;
// Every answer uses 100 input and 20 output tokens: 120 tokens, 140,000 nano-dollars.
const USED = { prompt_tokens: 100, completion_tokens: 20 };
const JAN_15_NOON = Date.UTC(2025, 0, 15, 12);
const tenants: Record<string, TenantBudget> = {
  acme: { tokens: { daily: 10_000, monthly: 100_000 }, usd: { daily: 1 }, mode: 'hard' },
  '*': { usd: { monthly: 5 }, mode: 'soft' },
};

describe.each([
  ['memory', async () => new MemoryCounterStore()],
  ['redis', () => openTestRedisCounters()],
] as const)('budget usage (%s)', (_name, open) => {
  it('reports limit, spent, reserved (an open stream) and remaining per window, and when each resets', async () => {
    const counters: CounterStore = await open();
    stores.push(counters);
    const server = await startOpenAIWireServer(() => ({ type: 'chat', text: 'one two three four', usage: USED, delayMs: 5 }));
    servers.push(server);
    const provider = createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', providerName: 'wire', price });
    const model = composeChat(provider, createBudgetMiddleware({ counters, tenants, defaultTenant: 'default', priceOf: () => price, now: () => JAN_15_NOON }));
    const usage = () => readBudgetUsage(counters, tenants, 'acme', JAN_15_NOON);

    for (let i = 0; i < 3; i++) await model.generate(ask);
    const afterThree = await usage();
    expect(afterThree.source).toBe('tenant');
    expect(afterThree.budgets).toEqual([
      { unit: 'tokens', period: 'daily', mode: 'hard', limit: 10_000, spent: 360, reserved: 0, remaining: 9_640, windowStart: '2025-01-15T00:00:00.000Z', resetsAt: '2025-01-16T00:00:00.000Z' },
      { unit: 'tokens', period: 'monthly', mode: 'hard', limit: 100_000, spent: 360, reserved: 0, remaining: 99_640, windowStart: '2025-01-01T00:00:00.000Z', resetsAt: '2025-02-01T00:00:00.000Z' },
      { unit: 'usd', period: 'daily', mode: 'hard', limit: 1, spent: 420_000 / 1e9, reserved: 0, remaining: (1e9 - 420_000) / 1e9, windowStart: '2025-01-15T00:00:00.000Z', resetsAt: '2025-01-16T00:00:00.000Z' },
    ]);

    // A stream holds its worst case from before its first byte until its finish event.
    const stream = model.stream(ask)[Symbol.asyncIterator]();
    expect((await stream.next()).done).toBe(false);
    const during = await usage();
    expect(during.budgets.map((b) => [b.spent, b.reserved, b.remaining])).toEqual([
      [360, worstTokens, 10_000 - 360 - worstTokens],
      [360, worstTokens, 100_000 - 360 - worstTokens],
      [420_000 / 1e9, worstNanos / 1e9, (1e9 - 420_000 - worstNanos) / 1e9],
    ]);
    while (!(await stream.next()).done);
    const after = await usage();
    expect(after.budgets.map((b) => [b.spent, b.reserved])).toEqual([
      [480, 0],
      [480, 0],
      [560_000 / 1e9, 0],
    ]);

    // A failed call gives its reservation back and spends nothing.
    const failing = await startOpenAIWireServer(() => ({ type: 'error', status: 400, message: 'bad' }));
    servers.push(failing);
    const broken = composeChat(
      createOpenAICompatibleChat({ baseURL: failing.baseURL, model: 'm', providerName: 'wire', price }),
      createBudgetMiddleware({ counters, tenants, defaultTenant: 'default', priceOf: () => price, now: () => JAN_15_NOON }),
    );
    await expect(broken.generate(ask)).rejects.toMatchObject({ code: 'bad_request' });
    expect((await usage()).budgets.map((b) => [b.spent, b.reserved])).toEqual(after.budgets.map((b) => [b.spent, b.reserved]));
  });

  it('falls back to the "*" budget, says when none applies, and keeps tenants apart', async () => {
    const counters: CounterStore = await open();
    stores.push(counters);
    const server = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok', usage: USED }));
    servers.push(server);
    const model = composeChat(
      createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', providerName: 'wire', price }),
      createBudgetMiddleware({ counters, tenants, defaultTenant: 'default', priceOf: () => price, now: () => JAN_15_NOON }),
    );
    await model.generate({ ...ask, tenantId: 'globex' });
    const globex = await readBudgetUsage(counters, tenants, 'globex', JAN_15_NOON);
    expect(globex).toMatchObject({ tenantId: 'globex', source: 'default', budgets: [{ unit: 'usd', period: 'monthly', mode: 'soft', limit: 5, spent: 140_000 / 1e9, reserved: 0 }] });
    expect((await readBudgetUsage(counters, tenants, 'initech', JAN_15_NOON)).budgets[0]).toMatchObject({ spent: 0, reserved: 0, remaining: 5 });
    expect(await readBudgetUsage(counters, { acme: tenants['acme']! }, 'initech', JAN_15_NOON)).toEqual({ tenantId: 'initech', source: 'none', budgets: [] });
  });
});

describe('budget usage across replicas', () => {
  it('a second process on the same Redis reads what the first one spent', async () => {
    const prefix = testPrefix();
    const first = await openTestRedisCounters(prefix);
    const second = await openTestRedisCounters(prefix);
    stores.push(second, first);
    const server = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok', usage: USED }));
    servers.push(server);
    const model = composeChat(
      createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'm', providerName: 'wire', price }),
      createBudgetMiddleware({ counters: first, tenants, defaultTenant: 'default', priceOf: () => price, now: () => JAN_15_NOON }),
    );
    await Promise.all(Array.from({ length: 5 }, () => model.generate(ask)));
    const seen = await readBudgetUsage(second, tenants, 'acme', JAN_15_NOON);
    expect(seen.budgets.map((b) => b.spent)).toEqual([600, 600, 700_000 / 1e9]);
  });
});
