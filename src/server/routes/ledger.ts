/** /v1/ledger: the tenant's cost ledger — totals summed from the rows, and the rows themselves. */
import { Hono } from 'hono';
import { PlumbError } from '../../core/errors.ts';
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

function isoOrUndefined(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (Number.isNaN(Date.parse(raw))) throw new PlumbError('bad_request', `${name} must be an ISO-8601 date or time, got "${raw}"`);
  return new Date(raw).toISOString();
}
