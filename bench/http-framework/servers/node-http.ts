// Baseline: plain node:http, hand-written routing/body parsing, same schema/auth/fixture.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  validationError,
} from '../shared.ts';
import type { Tenant } from '../shared.ts';

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

function handleRetrieve(req: IncomingMessage, res: ServerResponse, tenant: Tenant): void {
  const type = req.headers['content-type'];
  if (!type || !type.startsWith('application/json')) return send(res, 415, UNSUPPORTED_TYPE);
  const declared = Number(req.headers['content-length'] ?? 0);
  // Over the limit: answer 413 right away and let node:http discard the rest of the body (as
  // Fastify and Hono do) instead of closing the socket, which races the client's writes (EPIPE).
  if (declared > MAX_BODY_BYTES) return send(res, 413, TOO_LARGE);
  const chunks: Buffer[] = [];
  let size = 0;
  let aborted = false;
  req.on('data', (chunk: Buffer) => {
    if (aborted) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      aborted = true;
      send(res, 413, TOO_LARGE);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (aborted) return;
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      return send(res, 400, INVALID_JSON);
    }
    const parsed = RetrieveRequest.safeParse(raw);
    if (!parsed.success) return send(res, 400, validationError(parsed.error));
    send(res, 200, buildResponse(parsed.data, tenant));
  });
}

export function start(): Promise<number> {
  const server = createServer((req, res) => {
    if (req.url !== '/v1/retrieve') return send(res, 404, errorBody('not_found', 'Not found'));
    if (req.method !== 'POST') return send(res, 405, errorBody('method_not_allowed', 'Use POST'));
    const tenant = authenticate(req.headers.authorization);
    if (!tenant) return send(res, 401, UNAUTHORIZED);
    handleRetrieve(req, res, tenant);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
