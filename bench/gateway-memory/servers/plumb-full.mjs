// plumb's real server (compiled dist/, as `plumb serve` runs it) with every per-request structure
// that could grow switched on: the exact cache (memory backend, its default 10,000-entry LRU),
// per-tenant rate limits and budgets (in-memory counters), cache statistics per tenant, the
// ledger and traces in SQLite. One OpenAI-compatible provider, the alias `fast`, pointed at the stub.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsCurrent } from '../../../bin/build-state.js';
import { answerMemoryProbes } from './memory-probe.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
if (!buildIsCurrent(root)) throw new Error(`${root}dist/ is missing or older than src/: run \`npm run build\` first`);
const { createPlumb } = await import(pathToFileURL(join(root, 'dist', 'app.js')).href);
const { startServer } = await import(pathToFileURL(join(root, 'dist', 'server', 'start-server.js')).href);

const dir = mkdtempSync(join(tmpdir(), 'plumb-memory-bench-'));
const plumb = await createPlumb({
  config: {
    dataDir: dir,
    embeddings: { provider: 'none' },
    gateway: {
      providers: { stub: { type: 'openai-compatible', baseUrl: process.env.STUB_URL, models: ['m'] } },
      aliases: { fast: { provider: 'stub', model: 'm' } },
      prices: { m: { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
    },
    cache: { exact: true },
    limits: { tenants: { '*': { rpm: 10_000_000, tpm: 10_000_000_000 } } },
    budgets: { tenants: { '*': { usd: { daily: 1_000_000 }, mode: 'hard' } }, defaultMaxOutputTokens: 64 },
  },
  env: {},
});
const server = await startServer(plumb, { host: '127.0.0.1', port: 0 });
answerMemoryProbes();
process.send?.({ type: 'ready', port: server.port });
process.on('disconnect', () => {
  void server
    .close()
    .then(() => plumb.close())
    .finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
});
