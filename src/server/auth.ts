/**
 * Finds the tenant of a request. With a key: `Authorization: Bearer <key>` → sha256 → the key's
 * tenant. In the open local mode (loopback only) no key is needed and `X-Plumb-Tenant` may pick
 * a tenant. A known key still selects its tenant there; an unknown one is ignored, because
 * OpenAI client libraries insist on sending some key even to a local server.
 */
import type { MiddlewareHandler } from 'hono';
import { PlumbError } from '../core/errors.ts';
import type { ServerContext, ServerEnv } from './server-env.ts';

export function tenantAuth(ctx: ServerContext): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const key = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const keyTenant = key ? await ctx.plumb.tenantForApiKey(key) : null;
    if (keyTenant) {
      c.set('tenantId', keyTenant);
    } else if (key && !ctx.open) {
      throw new PlumbError('unauthorized', 'the API key is not valid or has been revoked', { hint: 'create one with `plumb keys create --tenant <name>`' });
    } else if (ctx.open) {
      c.set('tenantId', c.req.header('x-plumb-tenant') ?? ctx.plumb.config.defaultTenant);
    } else {
      throw new PlumbError('unauthorized', 'this server requires an API key', {
        hint: 'send Authorization: Bearer <key>; create a key with `plumb keys create --tenant <name>`',
      });
    }
    await next();
  };
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
