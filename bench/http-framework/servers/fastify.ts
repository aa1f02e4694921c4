// Fastify 5, written idiomatically: onRequest auth hook with a decorated request property,
// the built-in JSON parser with bodyLimit, zod safeParse in the handler, reply.send(object).
// (The zod schema is applied in the handler rather than via a type provider so that all three
// servers run exactly the same validation code.)
import Fastify from 'fastify';
import type { FastifyError, FastifyRequest } from 'fastify';
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
  validationError,
} from '../shared.ts';
import type { Tenant } from '../shared.ts';

type AuthedRequest = FastifyRequest & { tenant: Tenant | null };

export async function start(): Promise<number> {
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES });
  app.decorateRequest('tenant', null);
  // Fastify also parses text/plain by default; the API only accepts JSON (-> 415 otherwise).
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => {
    const tenant = authenticate(req.headers.authorization);
    if (!tenant) return reply.code(401).send(UNAUTHORIZED);
    (req as AuthedRequest).tenant = tenant;
  });

  app.post('/v1/retrieve', async (req, reply) => {
    const parsed = RetrieveRequest.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    return buildResponse(parsed.data, (req as AuthedRequest).tenant as Tenant);
  });

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(TOO_LARGE);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(UNSUPPORTED_TYPE);
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(INVALID_JSON);
      default:
        if (err instanceof SyntaxError) return reply.code(400).send(INVALID_JSON);
        return reply.code(err.statusCode ?? 500).send(errorBody('internal', err.message));
    }
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('not_found', 'Not found')));

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('fastify: no TCP address');
  return address.port;
}
