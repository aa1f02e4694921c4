/** /v1/traces: the spans of each request, tenant-scoped. */
import { Hono } from 'hono';
import { PlumbError } from '../../core/errors.ts';
import type { ServerContext, ServerEnv } from '../server-env.ts';

export function traceRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.get('/', async (c) => {
    const raw = c.req.query('limit');
    const limit = raw === undefined ? 50 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new PlumbError('bad_request', 'limit must be an integer from 1 to 1000');
    return c.json({ traces: await ctx.plumb.listTraces({ tenantId: c.get('tenantId'), limit }) });
  });
  app.get('/:id', async (c) => c.json(await ctx.plumb.getTrace(c.req.param('id'), { tenantId: c.get('tenantId') })));
  return app;
}
