// `plumb budgets --server`: the CLI reads a running server's budget counters (memory backend: only
// the server knows them) and prints what the ledger booked as spent.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { startServer } from '../server/start-server.ts';
import { tempDir, tempPlumb } from '../testing/temp-plumb.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));
const run = promisify(execFile);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('plumb budgets --server', () => {
  it("prints each window with spent equal to the ledger's total, as JSON and as text", async () => {
    const upstream = await startOpenAIWireServer(() => ({ type: 'chat', text: 'Within budget.', usage: { prompt_tokens: 120, completion_tokens: 30 } }));
    closers.push(() => upstream.close());
    const { plumb } = await tempPlumb({
      embeddings: { provider: 'none' },
      gateway: {
        providers: { wire: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } },
        aliases: { smart: { provider: 'wire', model: 'm' } },
        prices: { m: { inputPerMTok: 0.1234567, outputPerMTok: 0.7654321 } },
      },
      budgets: { tenants: { acme: { usd: { daily: 5 }, tokens: { monthly: 100_000 }, mode: 'hard' } } },
    });
    closers.push(() => plumb.close());
    const server = await startServer(plumb, { port: 0 });
    closers.push(() => server.close());
    for (let i = 0; i < 3; i++) await plumb.chat({ messages: [{ role: 'user', content: `question ${i}` }] }, { model: 'smart', tenantId: 'acme' });
    const ledger = await plumb.store.ledgerTotals('acme');

    const env = { ...process.env, PLUMB_EMBEDDINGS__PROVIDER: 'none' };
    const json = await run(process.execPath, [BIN, 'budgets', '--server', server.url, '--tenant', 'acme', '--json'], { cwd: tempDir(), env });
    const usage = JSON.parse(json.stdout) as { tenantId: string; budgets: Array<{ unit: string; period: string; spent: number; reserved: number; limit: number }> };
    expect(usage.tenantId).toBe('acme');
    const usd = usage.budgets.find((b) => b.unit === 'usd')!;
    const tokens = usage.budgets.find((b) => b.unit === 'tokens')!;
    expect(usd).toMatchObject({ period: 'daily', limit: 5, reserved: 0 });
    expect(usd.spent).toBe(ledger.costNanoUsd / 1e9);
    expect(tokens).toMatchObject({ period: 'monthly', spent: ledger.inputTokens + ledger.outputTokens, reserved: 0 });

    const text = await run(process.execPath, [BIN, 'budgets', '--server', server.url, '--tenant', 'acme'], { cwd: tempDir(), env });
    expect(text.stdout).toMatch(/tenant acme \(its own budget\)/);
    expect(text.stdout).toMatch(/daily\s+usd\s+hard\s+limit \$5\.000000/);

    const unreachable = await run(process.execPath, [BIN, 'budgets', '--server', 'http://127.0.0.1:9', '--tenant', 'acme'], { cwd: tempDir(), env }).catch((error: { code: number; stderr: string }) => error);
    expect(unreachable).toMatchObject({ code: expect.any(Number) });
    expect((unreachable as { stderr: string }).stderr).toMatch(/could not reach .*is `plumb serve` running there\?/s);
  }, 90_000); // three CLI processes, each loading the whole program: seconds apiece on a busy machine
});
