/**
 * Budget and fallback soak through the whole gateway: N requests (default 10,000; half generate,
 * half stream, every prompt distinct, the exact cache off) through createGateway() — ledger →
 * cache → budgets → tenant limits → fallback chain → per provider retry → breaker → timeouts →
 * provider — with a real SQLite store, four tenants with money and token budgets (hard and soft),
 * so every request reserves and settles. Upstream a (OpenAI wire format) injects faults into 30%
 * of its requests; b (Anthropic wire format) is healthy; both run in a child process.
 *
 * Reports the success rate, the faults, how requests were answered, latency of clean requests
 * and the extra latency of faulted ones, throughput, and checks the books: one ledger row per
 * request, per tenant the sum of listLedger rows == ledgerTotals exactly, and == what the budget
 * layer settled (read back from a probe request's budgetRemaining* after the soak).
 *
 * Run: npx tsx bench/gateway-soak/run.ts [requests] [concurrency] [--faults 0.3] [--out results.json]
 *      (default 10000 10, 30% faults, writes results.json here)
 */
import { fork } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config/schema.ts';
import type { ChatRequest, ResponseMetadata } from '../../src/core/model.ts';
import type { LedgerEntry } from '../../src/core/store.ts';
import { createGateway } from '../../src/gateway/create-gateway.ts';
import { openStore } from '../../src/store/index.ts';
import { machineInfo, machineLine } from '../machine.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const FAULT_RATE = Number(flag('faults') ?? 0.3);
const OUT = flag('out') ?? path.join(HERE, 'results.json');
const total = Number(args[0] ?? 10_000);
const concurrency = Number(args[1] ?? 10);
const COMMAND = ['npx tsx bench/gateway-soak/run.ts', ...process.argv.slice(2)].join(' ');

// --- upstreams (child process) ---
const child = fork(path.join(HERE, 'upstreams.ts'), [], {
  execArgv: ['--import', import.meta.resolve('tsx')],
  env: { ...process.env, FAULT_RATE: String(FAULT_RATE) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = <T>(type: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: { type?: string }): void => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    if (type !== 'ready') child.send({ type });
  });
const upstream = await ask<{ a: string; b: string }>('ready');

// --- the gateway, from config, over a real SQLite store ---
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-soak-'));
const store = await openStore(path.join(dataDir, 'soak.db'));
const resilience = {
  retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 20 },
  // A windowed failure rate well above the injected 30%, so it trips only on a real outage.
  breaker: { window: { failureRate: 0.9, durationMs: 5_000 }, halfOpenAfterMs: 1_000 },
  timeouts: { connectMs: 1_000, firstTokenMs: 2_000, totalMs: 5_000 },
};
const BUDGETS = {
  acme: { usd: { daily: 1_000 }, tokens: { daily: 1_000_000_000 }, mode: 'hard' },
  globex: { usd: { monthly: 1_000 }, tokens: { monthly: 1_000_000_000 }, mode: 'hard' },
  // Soft and small: passed early in the run, so most of its requests go through flagged.
  initech: { usd: { daily: 0.0005 }, tokens: { daily: 20_000 }, mode: 'soft' },
  umbrella: { usd: { daily: 1_000 }, tokens: { daily: 1_000_000_000 }, mode: 'soft' },
} as const;
const TENANTS = Object.keys(BUDGETS) as (keyof typeof BUDGETS)[];
const config = configSchema.parse({
  dataDir,
  embeddings: { provider: 'none' },
  gateway: {
    providers: {
      a: { type: 'openai-compatible', baseUrl: upstream.a, models: ['gpt-4o-mini'], ...resilience },
      b: { type: 'anthropic', baseUrl: upstream.b, apiKeyEnv: 'SOAK_ANTHROPIC_KEY', models: ['claude-3-5-haiku-latest'], ...resilience },
    },
    // Fractional nano-dollars per token (0.1537 $/MTok = 153.7 n$/token), so every row is rounded.
    prices: { 'gpt-4o-mini': { inputPerMTok: 0.1537, outputPerMTok: 0.6071 }, 'claude-3-5-haiku-latest': { inputPerMTok: 0.8123, outputPerMTok: 4.0017 } },
    fallbacks: { soak: [{ provider: 'a', model: 'gpt-4o-mini' }, { provider: 'b', model: 'claude-3-5-haiku-latest' }] },
  },
  cache: { exact: false, semantic: 'off' },
  budgets: { tenants: BUDGETS },
  // Generous, so the layer counts every request and refuses none.
  limits: { tenants: { '*': { rpm: 10_000_000, tpm: 10_000_000_000 } } },
});
const gateway = await createGateway(config, { SOAK_ANTHROPIC_KEY: 'k' }, store);
const model = gateway.resolve('soak');
if (!model) throw new Error('the soak chain did not resolve');

// --- load ---
interface Sample {
  i: number;
  /** When the request started, ms since the soak started. */
  at: number;
  ms: number;
  ok: boolean;
  streamed: boolean;
  tenant: string;
  retried: boolean;
  fellBack: boolean;
  softExceeded: boolean;
  error?: string;
}
const samples: Sample[] = [];
const requestOf = (i: number): ChatRequest => ({
  tenantId: TENANTS[Math.floor(i / 2) % TENANTS.length]!,
  // Distinct prompts of varying length: no cache could answer them, and token counts vary.
  messages: [{ role: 'user', content: `Question ${i}: ${'how does the gateway book this request '.repeat(1 + (i % 5))}?` }],
});
async function call(request: ChatRequest, streamed: boolean): Promise<ResponseMetadata | undefined> {
  if (!streamed) return (await model!.generate(request)).metadata;
  let metadata: ResponseMetadata | undefined;
  for await (const event of model!.stream(request)) if (event.type === 'finish') metadata = event.metadata;
  return metadata;
}

// New TCP connections the gateway opened: a reset or cut stream costs its keep-alive socket.
let connectionsOpened = 0;
subscribe('net.client.socket', () => void (connectionsOpened += 1));
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
const gcPauses: number[] = [];
const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries().map((e) => e.duration)));
gcObserver.observe({ entryTypes: ['gc'] });
let next = 0;
async function worker(): Promise<void> {
  while (next < total) {
    const i = next++;
    const request = requestOf(i);
    const streamed = i % 2 === 1;
    const started = performance.now();
    try {
      const metadata = await call(request, streamed);
      samples.push({
        i,
        at: started - wallStart,
        ms: performance.now() - started,
        ok: true,
        streamed,
        tenant: request.tenantId!,
        retried: typeof metadata?.['retries'] === 'number' && metadata['retries'] > 0,
        fellBack: metadata?.['fallback'] === true,
        softExceeded: metadata?.['budgetExceeded'] === true,
      });
    } catch (err) {
      samples.push({ i, at: started - wallStart, ms: performance.now() - started, ok: false, streamed, tenant: request.tenantId!, retried: false, fellBack: false, softExceeded: false, error: (err as { code?: string }).code ?? String(err) });
    }
  }
}
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
loopDelay.enable();
await Promise.all(Array.from({ length: concurrency }, worker));
const wallMs = performance.now() - wallStart;
const cpu = process.cpuUsage(cpuStart);
loopDelay.disable();
gcObserver.disconnect();

// --- the books ---
// One probe per tenant, after the soak (nothing reserved any more): its budgetRemaining* is each
// budget's limit minus everything the budget layer settled, the probe included.
const probes: Record<string, ResponseMetadata> = {};
for (const tenant of TENANTS) probes[tenant] = (await model.generate({ tenantId: tenant, messages: [{ role: 'user', content: `probe ${tenant}` }] })).metadata ?? {};

const limitOf = (tenant: keyof typeof BUDGETS, unit: 'usd' | 'tokens'): number => {
  const periods: { daily?: number; monthly?: number } = BUDGETS[tenant][unit];
  return periods.daily ?? periods.monthly ?? 0;
};
const sum = (rows: LedgerEntry[], field: keyof LedgerEntry): number => rows.reduce((s, r) => s + (r[field] as number), 0);
const books = [];
let ledgerRows = 0;
for (const tenant of TENANTS) {
  const rows = await store.listLedger(tenant);
  const totals = await store.ledgerTotals(tenant);
  ledgerRows += rows.length;
  const fromRows = {
    requests: rows.length,
    inputTokens: sum(rows, 'inputTokens'),
    outputTokens: sum(rows, 'outputTokens'),
    cachedInputTokens: sum(rows, 'cachedInputTokens'),
    reasoningTokens: sum(rows, 'reasoningTokens'),
    costNanoUsd: sum(rows, 'costNanoUsd'),
  };
  const probe = probes[tenant]!;
  const settledNanoUsd = Math.round(limitOf(tenant, 'usd') * 1e9) - Math.round(Number(probe['budgetRemainingUsd']) * 1e9);
  const settledTokens = limitOf(tenant, 'tokens') - Number(probe['budgetRemainingTokens']);
  const sent = samples.filter((s) => s.tenant === tenant).length + 1;
  books.push({
    tenant,
    mode: BUDGETS[tenant].mode,
    requestsSent: sent,
    ledgerRows: rows.length,
    okRows: rows.filter((r) => r.status === 'ok').length,
    fromRows,
    ledgerTotals: { requests: totals.requests, inputTokens: totals.inputTokens, outputTokens: totals.outputTokens, cachedInputTokens: totals.cachedInputTokens, reasoningTokens: totals.reasoningTokens, costNanoUsd: totals.costNanoUsd },
    budgetSettled: { costNanoUsd: settledNanoUsd, tokens: settledTokens },
    softBudgetPassed: samples.filter((s) => s.tenant === tenant && s.softExceeded).length,
    checks: {
      oneRowPerRequest: rows.length === sent,
      rowsEqualTotals: (Object.keys(fromRows) as (keyof typeof fromRows)[]).every((k) => fromRows[k] === totals[k]),
      costEqualsBudgetSettled: fromRows.costNanoUsd === settledNanoUsd,
      tokensEqualBudgetSettled: fromRows.inputTokens + fromRows.outputTokens === settledTokens,
    },
  });
}
const stats = await ask<{ requestsToA: number; requestsToB: number; faults: Record<string, number> }>('stats');
child.disconnect();
await gateway.close();
await store.close();
fs.rmSync(dataDir, { recursive: true, force: true });

// --- report ---
const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const round = (x: number): number => Math.round(x * 100) / 100;
const latency = (values: number[]) => ({ n: values.length, p50: round(quantile(values, 0.5)), p99: round(quantile(values, 0.99)), p999: round(quantile(values, 0.999)), max: round(Math.max(...values)) });
const clean = samples.filter((s) => s.ok && !s.retried && !s.fellBack);
const faulted = samples.filter((s) => s.ok && (s.retried || s.fellBack)).map((s) => s.ms);
const cleanP50 = quantile(clean.map((s) => s.ms), 0.5);
const errors: Record<string, number> = {};
for (const s of samples) if (!s.ok) errors[s.error ?? '?'] = (errors[s.error ?? '?'] ?? 0) + 1;
const faultsInjected = Object.values(stats.faults).reduce((s, n) => s + n, 0);
const results = {
  command: COMMAND,
  requests: total,
  concurrency,
  tenants: TENANTS.length,
  injectedFaultRate: FAULT_RATE,
  successRate: samples.filter((s) => s.ok).length / total,
  failures: errors,
  faultsInjected,
  faultsByKind: stats.faults,
  requestsToA: stats.requestsToA,
  requestsToB: stats.requestsToB,
  answeredFirstTry: clean.length,
  answeredAfterRetry: samples.filter((s) => s.ok && s.retried && !s.fellBack).length,
  answeredByFallback: samples.filter((s) => s.fellBack).length,
  cleanLatencyMs: { all: latency(clean.map((s) => s.ms)), generate: latency(clean.filter((s) => !s.streamed).map((s) => s.ms)), stream: latency(clean.filter((s) => s.streamed).map((s) => s.ms)) },
  // A faulted request's latency minus the clean p50: what the retries and fallbacks added.
  extraLatencyOfFaultedMs: faulted.length === 0 ? null : { n: faulted.length, p50: round(quantile(faulted, 0.5) - cleanP50), p99: round(quantile(faulted, 0.99) - cleanP50) },
  requestsPerSecond: round(total / (wallMs / 1000)),
  connectionsOpened,
  // CPU of this process (client + gateway + SQLite; the upstreams run in a child) per request.
  gatewayCpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / total),
  eventLoopDelayMs: { p50: round(loopDelay.percentile(50) / 1e6), p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
  gcPausesMs: { count: gcPauses.length, total: round(gcPauses.reduce((s, x) => s + x, 0)), p99: round(quantile(gcPauses, 0.99)), max: round(Math.max(0, ...gcPauses)) },
  ledger: {
    rows: ledgerRows,
    requestsSent: total + TENANTS.length,
    oneRowPerRequest: ledgerRows === total + TENANTS.length,
    allChecksPass: ledgerRows === total + TENANTS.length && books.every((b) => Object.values(b.checks).every(Boolean)),
    tenants: books,
  },
  breakers: gateway.models.breakers.snapshots().map((s) => ({ provider: s.provider, state: s.state })),
  machine: machineInfo(),
};
if (process.env['SOAK_SAMPLES']) fs.writeFileSync(process.env['SOAK_SAMPLES'], JSON.stringify(samples));
fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
console.log(machineLine(results.machine));
