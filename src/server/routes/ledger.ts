/**
 * /v1/ledger: the tenant's cost ledger — totals summed from the rows, and the rows themselves —
 * and /v1/cache/stats: how the tenant's requests met the gateway's caches.
 */
import { Hono } from 'hono';
import { PlumbError } from '../../core/errors.ts';
import { shadowFalseHitRate } from '../../gateway/cache/index.ts';
import type { ServerContext, ServerEnv } from '../server-env.ts';

export function ledgerRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.get('/', async (c) => {
    const tenantId = c.get('tenantId');
    const since = isoOrUndefined(c.req.query('since'), 'since');
    const until = isoOrUndefined(c.req.query('until'), 'until');
    const rawLimit = c.req.query('limit');
    const limit = rawLimit === undefined ? 100 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 0 || limit > 10_000) throw new PlumbError('bad_request', 'limit must be an integer from 0 to 10000');
    const range = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
    const totals = await ctx.plumb.store.ledgerTotals(tenantId, range);
    const entries = limit === 0 ? [] : await ctx.plumb.store.listLedger(tenantId, { ...range, limit, order: 'desc' });
    return c.json({ totals, entries });
  });
  return app;
}

/** Cache statistics of the calling tenant (this process's counts since it started). */
export function cacheStatsRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.get('/', (c) => {
    const stats = ctx.plumb.gateway.cache.stats.forTenant(c.get('tenantId'));
    return c.json({ ...stats, shadowFalseHitRate: shadowFalseHitRate(stats), semantic: ctx.plumb.config.cache.semantic, encoder: ctx.plumb.config.cache.encoder, exact: ctx.plumb.config.cache.exact });
  });
  return app;
}

function isoOrUndefined(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (Number.isNaN(Date.parse(raw))) throw new PlumbError('bad_request', `${name} must be an ISO-8601 date or time, got "${raw}"`);
  return new Date(raw).toISOString();
}
