/** The HTTP API as a Hono app: usable in-process (`app.request()`) and served by start-server.ts. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { PlumbError } from '../core/errors.ts';
import { PLUMB_VERSION } from '../core/version.ts';
import type { Plumb } from '../plumb.ts';
import { tenantAuth } from './auth.ts';
import { limitBody } from './body-limit.ts';
import { errorResponse } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { budgetRoutes } from './routes/budgets.ts';
import { documentRoutes } from './routes/documents.ts';
import { cacheStatsRoutes, ledgerRoutes } from './routes/ledger.ts';
import { openAICompatibleRoutes } from './routes/openai-compatible.ts';
import { ragRoutes } from './routes/rag.ts';
import { traceRoutes } from './routes/traces.ts';
import type { ServerEnv } from './server-env.ts';

export { PLUMB_VERSION };

const WEB_PAGE = fileURLToPath(new URL('../../web/index.html', import.meta.url));

export interface CreateAppOptions {
  /** No API key needed (only ever true on loopback). */
  open: boolean;
}

export function createApp(plumb: Plumb, options: CreateAppOptions): Hono<ServerEnv> {
  const ctx = { plumb, open: options.open };
  const app = new Hono<ServerEnv>();
  app.onError(errorResponse);
  app.notFound((c) => errorResponse(new PlumbError('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`, { hint: 'GET /openapi.json lists the API' }), c));

  app.use('/v1/*', limitBody(plumb.config.server.maxBodyBytes));
  app.use('/v1/*', tenantAuth(ctx));

  const page = fs.readFileSync(WEB_PAGE, 'utf8');
  app.get('/', (c) => c.html(page));
  app.get('/healthz', async (c) => {
    const tenants = await plumb.store.listTenants();
    return c.json({ status: 'ok', version: PLUMB_VERSION, store: plumb.store.kind, tenants: tenants.length, chatModel: `${plumb.chatModel.provider}/${plumb.chatModel.modelId}`, embeddingModel: plumb.embedder ? `${plumb.embedder.provider}/${plumb.embedder.modelId}` : null, circuitBreakers: plumb.gateway.models.breakers.snapshots(), traceExport: exportCounts(plumb) });
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument(PLUMB_VERSION)));

  app.route('/v1/documents', documentRoutes(ctx));
  app.route('/v1', ragRoutes(ctx));
  app.route('/v1', openAICompatibleRoutes(ctx));
  app.route('/v1/traces', traceRoutes(ctx));
  app.route('/v1/ledger', ledgerRoutes(ctx));
  app.route('/v1/budgets', budgetRoutes(ctx));
  app.route('/v1/cache/stats', cacheStatsRoutes(ctx));
  return app;
}

/** The OTLP export's counters; not its URL or last error, as /healthz answers without a key. */
function exportCounts(plumb: Plumb) {
  const stats = plumb.traceExportStats();
  return stats && { exportedSpans: stats.exportedSpans, droppedSpans: stats.droppedSpans, failedRequests: stats.failedRequests, queuedSpans: stats.queuedSpans };
}
