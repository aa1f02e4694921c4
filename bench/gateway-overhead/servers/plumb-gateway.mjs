// plumb's real gateway path, as `plumb serve` runs it: the compiled build in dist/ (run.ts builds
// it first when it is stale), createPlumb() with one OpenAI-compatible provider pointed at the
// stub and the alias `fast` → stub/m, served by startServer() (the product's HTTP server, open
// local mode on 127.0.0.1). Requests go to POST /v1/chat/completions with model "fast", through
// body limit, auth, zod parsing, Plumb.chat (trace) and the gateway's layers (ledger, limits,
// resilience). The exact cache is OFF so the measurement is the gateway, not cache hits.
import { serveCompiledPlumb } from './compiled-plumb.mjs';

const upstream = process.env.STUB_URL;
if (!upstream) throw new Error('STUB_URL is not set');

// PLUMB_ROOT: serve another checkout's build (ab-against.sh measures an older commit this way).
const { server } = await serveCompiledPlumb({
  embeddings: { provider: 'none' },
  gateway: {
    providers: { stub: { type: 'openai-compatible', baseUrl: upstream, models: ['m'] } },
    aliases: { fast: { provider: 'stub', model: 'm' } },
  },
  cache: { exact: false },
  // The store's group-commit window is the default; BENCH_GROUP_COMMIT_MS=5 measures another.
  ...(process.env.BENCH_GROUP_COMMIT_MS ? { store: { groupCommitMs: Number(process.env.BENCH_GROUP_COMMIT_MS) } } : {}),
  // Every trace is stored, as by default; BENCH_TRACE_SAMPLE=0.1 measures tracing.sampleRate 0.1.
  tracing: { sampleRate: Number(process.env.BENCH_TRACE_SAMPLE ?? 1) },
});
process.send?.({ type: 'ready', port: server.port });
