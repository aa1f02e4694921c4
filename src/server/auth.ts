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
    c.set('tenantId', await tenantOfRequest(ctx, c.req.header('authorization'), c.req.header('x-plumb-tenant')));
    await next();
  };
}

/** The tenant a request acts for, from its Authorization and X-Plumb-Tenant headers; throws a 401 when it has none. */
export async function tenantOfRequest(ctx: ServerContext, authorization: string | undefined, tenantHeader: string | undefined): Promise<string> {
  const key = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const keyTenant = key ? await ctx.plumb.tenantForApiKey(key) : null;
  if (keyTenant) return keyTenant;
  if (key && !ctx.open) {
    throw new PlumbError('unauthorized', 'the API key is not valid or has been revoked', { hint: 'create one with `plumb keys create --tenant <name>`' });
  }
  if (ctx.open) return tenantHeader ?? ctx.plumb.config.defaultTenant;
  throw new PlumbError('unauthorized', 'this server requires an API key', {
    hint: 'send Authorization: Bearer <key>; create a key with `plumb keys create --tenant <name>`',
  });
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
