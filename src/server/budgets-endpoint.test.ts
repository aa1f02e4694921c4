import { afterEach, describe, expect, it } from 'vitest';
import type { PlumbConfigInput } from '../config/schema.ts';
import type { BudgetWindowUsage } from '../gateway/budgets/index.ts';
import { openTestRedisCounters, testPrefix, TEST_REDIS_URL } from '../gateway/limits/redis-test-counters.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { tempPlumb } from '../testing/temp-plumb.ts';
import { openApiDocument } from './openapi.ts';
import { startServer } from './start-server.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

interface BudgetsBody {
  tenantId: string;
  source: string;
  backend: string;
  budgets: BudgetWindowUsage[];
}

async function serveWithBudgets(backend: Backend) {
  // Usage counted by the wire server from the prompt: every request costs a different amount.
  const upstream = await startOpenAIWireServer((_request, i) => ({ type: 'chat', text: `answer number ${i} `.repeat(i + 1) }));
  closers.push(() => upstream.close());
  const config: PlumbConfigInput = {
    embeddings: { provider: 'none' },
    gateway: {
      providers: { wire: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } },
      aliases: { smart: { provider: 'wire', model: 'm' } },
      // Awkward prices: the ledger and the budget counters must still agree to the nano-dollar.
      prices: { m: { inputPerMTok: 0.1234567, outputPerMTok: 0.7654321 } },
    },
    budgets: {
      backend,
      tenants: { acme: { usd: { daily: 2, monthly: 30 }, tokens: { daily: 1_000_000 }, mode: 'hard' } },
      defaultMaxOutputTokens: 256,
    },
  };
  const { plumb } = await tempPlumb(config);
  closers.push(() => plumb.close());
  const server = await startServer(plumb, { port: 0 });
  closers.push(() => server.close());
  return server;
}

const get = async <T>(url: string, tenant: string): Promise<T> => {
  const res = await fetch(url, { headers: { 'x-plumb-tenant': tenant } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

type Backend = NonNullable<PlumbConfigInput['budgets']>['backend'];
describe.each([
  ['memory', (): Backend => 'memory'],
  ['redis', (): Backend => {
    const prefix = testPrefix();
    // Deletes the keys the server's counters made under this prefix.
    closers.unshift(async () => (await openTestRedisCounters(prefix)).close());
    return { redis: TEST_REDIS_URL, prefix };
  }],
] as const)('GET /v1/budgets (%s backend)', (_name, backend) => {
  it("after N requests, each window's spent equals the ledger's total for that window", async () => {
    const server = await serveWithBudgets(backend());
    const N = 7;
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-plumb-tenant': 'acme' },
        body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: `question ${i}: ${'why '.repeat(i * 13)}` }] }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const body = await get<BudgetsBody>(`${server.url}/v1/budgets`, 'acme');
    expect(body).toMatchObject({ tenantId: 'acme', source: 'tenant' });
    expect(body.budgets.map((b) => `${b.unit}/${b.period}`)).toEqual(['tokens/daily', 'usd/daily', 'usd/monthly']);

    for (const window of body.budgets) {
      const ledger = await get<{ totals: { requests: number; costUsd: number; costNanoUsd: number; inputTokens: number; outputTokens: number } }>(
        `${server.url}/v1/ledger?since=${window.windowStart}&until=${window.resetsAt}&limit=0`,
        'acme',
      );
      expect(ledger.totals.requests).toBe(N);
      expect(ledger.totals.costNanoUsd).toBeGreaterThan(0);
      expect(window.reserved).toBe(0);
      if (window.unit === 'usd') {
        expect(window.spent).toBe(ledger.totals.costUsd);
        expect(window.remaining).toBe((window.limit * 1e9 - ledger.totals.costNanoUsd) / 1e9);
      } else {
        expect(window.spent).toBe(ledger.totals.inputTokens + ledger.totals.outputTokens);
      }
    }

    // Another tenant sees only its own (here: none), never acme's.
    expect(await get<BudgetsBody>(`${server.url}/v1/budgets`, 'globex')).toMatchObject({ tenantId: 'globex', source: 'none', budgets: [] });
  });
});

describe('GET /v1/budgets in the OpenAPI document', () => {
  it('is described with its fields', () => {
    const doc = openApiDocument('test') as unknown as { paths: Record<string, { get?: { responses: Record<string, { content?: { 'application/json': { schema: { properties: Record<string, unknown> } } } }> } }> };
    const schema = doc.paths['/v1/budgets']?.get?.responses['200']?.content?.['application/json'].schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['tenantId', 'budgets']));
  });
});
