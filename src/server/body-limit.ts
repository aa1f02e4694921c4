/**
 * Request body size limit. Decides from Content-Length when there is one (Node's parser never
 * reads past it), and only streams chunked bodies through hono/body-limit: that middleware reads
 * `c.req.raw.body`, which costs @hono/node-server its fast body path — about 3× the CPU per
 * request in bench/http-framework.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PlumbError } from '../core/errors.ts';

/** The 413 for a body over `maxSize` bytes. */
export function bodyTooLarge(maxSize: number): PlumbError {
  return new PlumbError('payload_too_large', `request body is over the ${maxSize}-byte limit`, { hint: 'raise server.maxBodyBytes, or send smaller batches' });
}

export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = () => bodyTooLarge(maxSize);
  const streaming = bodyLimit({ maxSize, onError: () => { throw tooLarge(); } });
  return async (c, next) => {
    const chunked = c.req.header('transfer-encoding') !== undefined;
    const length = c.req.header('content-length');
    if (!chunked) {
      if (length !== undefined && Number(length) > maxSize) throw tooLarge();
      return next();
    }
    return streaming(c, next);
  };
}
