// Hono 4 on @hono/node-server, written the way plumb would write it: auth middleware,
// a body-limit middleware (two variants, see BodyLimitMode), c.req.json(), zod safeParse, c.json().
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import type { AddressInfo } from 'node:net';
import {
  INVALID_JSON,
  MAX_BODY_BYTES,
  RetrieveRequest,
  TOO_LARGE,
  UNAUTHORIZED,
  UNSUPPORTED_TYPE,
  authenticate,
  buildResponse,
  errorBody,
} from '../shared.ts';
import { validationError } from '../shared.ts';
import type { Tenant } from '../shared.ts';

/**
 * 'builtin': hono/body-limit on every request, as documented. Its first statement reads
 *   `c.req.raw.body`, which makes @hono/node-server materialize a full undici Request with a
 *   web ReadableStream over the IncomingMessage, so c.req.json() loses the adapter's direct
 *   read fast path.
 * 'header-first': decide from Content-Length when present (the same check bodyLimit makes) and
 *   only fall back to bodyLimit's streaming counter for chunked bodies.
 */
export type BodyLimitMode = 'builtin' | 'header-first';

function limitBody(mode: BodyLimitMode): MiddlewareHandler {
  const builtin = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(TOO_LARGE, 413) });
  if (mode === 'builtin') return builtin;
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > MAX_BODY_BYTES) return c.json(TOO_LARGE, 413);
      return next();
    }
    return builtin(c, next);
  };
}

export function createApp(mode: BodyLimitMode): Hono<{ Variables: { tenant: Tenant } }> {
  const app = new Hono<{ Variables: { tenant: Tenant } }>();

  app.use('/v1/*', async (c, next) => {
    const tenant = authenticate(c.req.header('authorization'));
    if (!tenant) return c.json(UNAUTHORIZED, 401);
    c.set('tenant', tenant);
    await next();
  });

  app.post(
    '/v1/retrieve',
    limitBody(mode),
    async (c) => {
      const type = c.req.header('content-type');
      if (!type || !type.startsWith('application/json')) return c.json(UNSUPPORTED_TYPE, 415);
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        return c.json(INVALID_JSON, 400);
      }
      const parsed = RetrieveRequest.safeParse(raw);
      if (!parsed.success) return c.json(validationError(parsed.error), 400);
      return c.json(buildResponse(parsed.data, c.get('tenant')));
    },
  );

  app.notFound((c) => c.json(errorBody('not_found', 'Not found'), 404));
  return app;
}

export function start(mode: BodyLimitMode): Promise<number> {
  const app = createApp(mode);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
    server.once('error', reject);
  });
}
