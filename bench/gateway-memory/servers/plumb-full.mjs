// plumb's real server (compiled dist/, as `plumb serve` runs it) with every per-request structure
// that could grow switched on: the exact cache (memory backend, its default 10,000-entry LRU),
// per-tenant rate limits and budgets (in-memory counters), cache statistics per tenant, the
// ledger and traces in SQLite. One OpenAI-compatible provider, the alias `fast`, pointed at the stub.
import { serveCompiledPlumb } from '../../gateway-overhead/servers/compiled-plumb.mjs';
import { answerMemoryProbes } from './memory-probe.mjs';

const { server } = await serveCompiledPlumb({
  embeddings: { provider: 'none' },
  gateway: {
    providers: { stub: { type: 'openai-compatible', baseUrl: process.env.STUB_URL, models: ['m'] } },
    aliases: { fast: { provider: 'stub', model: 'm' } },
    prices: { m: { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
  },
  cache: { exact: true },
  limits: { tenants: { '*': { rpm: 10_000_000, tpm: 10_000_000_000 } } },
  budgets: { tenants: { '*': { usd: { daily: 1_000_000 }, mode: 'hard' } }, defaultMaxOutputTokens: 64 },
});
answerMemoryProbes();
process.send?.({ type: 'ready', port: server.port });
