/**
 * /v1/budgets: where the calling tenant's budgets stand — per configured window (tokens / USD,
 * daily / monthly), the limit, what settled requests spent, what requests in flight reserve, what
 * is left and when the window resets. The tenant is the API key's (or, in the open local mode,
 * X-Plumb-Tenant); an operator reads any tenant with `plumb budgets --tenant <id>`.
 */
import { Hono } from 'hono';
import type { ServerContext, ServerEnv } from '../server-env.ts';

export function budgetRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.get('/', async (c) => {
    const usage = await ctx.plumb.gateway.budgetUsage(c.get('tenantId'));
    return c.json({ ...usage, backend: ctx.plumb.config.budgets.backend === 'memory' ? 'memory' : 'redis' });
  });
  return app;
}
