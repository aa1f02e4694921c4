/**
 * POST /v1/chat/completions served straight from node:http, ahead of Hono. It is the gateway's
 * hottest route, and without Hono's Request/Response/middleware plumbing it served 1.13× the
 * requests/s at concurrency 10 and 1.06× at 1 on a fast upstream (same-machine A/B,
 * bench/gateway-overhead/LAYERS.md).
 * It answers exactly as the Hono route does: the same body limit, tenant auth, validation, error
 * shape and handler (chat-completions.ts). Every other request goes on to Hono.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { tenantOfRequest } from './auth.ts';
import { bodyTooLarge } from './body-limit.ts';
import { callerOptionsOf } from './caller-options.ts';
import { clientGoneSignal } from './client-gone.ts';
import { errorReply, notJsonError, validated } from './errors.ts';
import { chatCompletionBodySchema } from './http-schemas.ts';
import { chatCompletion, chatStreamError } from './routes/chat-completions.ts';
import type { ServerContext } from './server-env.ts';
import { streamSseToNode } from './sse.ts';

const PATH = '/v1/chat/completions';

/** A request listener that answers chat completions itself and hands everything else to `next`. */
export function withDirectChatRoute(ctx: ServerContext, maxBodyBytes: number, next: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST' || !isChatPath(req.url)) return next(req, res);
    void answerChat(ctx, maxBodyBytes, req, res);
  };
}

function isChatPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(PATH) && (url.length === PATH.length || url[PATH.length] === '?');
}

async function answerChat(ctx: ServerContext, maxBodyBytes: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const gone = clientGoneSignal(res);
  try {
    // The same order as Hono's middleware: the declared size, then the key, then the body.
    const declared = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && declared !== undefined && Number(declared) > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    const tenantId = await tenantOfRequest(ctx, headerOf(req, 'authorization'), headerOf(req, 'x-plumb-tenant'));
    const text = await readBody(req, res, maxBodyBytes);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw notJsonError();
    }
    const body = validated(raw, chatCompletionBodySchema);
    const reply = await chatCompletion(ctx, tenantId, body, gone, callerOptionsOf((name) => headerOf(req, name)));
    if (reply.kind === 'stream') {
      // Settles when the stream is under way; a failure before its first event lands below.
      await streamSseToNode(res, reply.produce, chatStreamError, gone);
      return;
    }
    const json = JSON.stringify(reply.body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...reply.headers });
    res.end(json);
  } catch (error) {
    // A client that went away cancelled its own call: nobody is left to answer, nothing failed.
    if (!gone.aborted && !res.destroyed) answerError(res, error);
  }
}

function answerError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const reply = errorReply(error, `POST ${PATH}`);
  const json = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...(reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {}) });
  res.end(json);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The whole body as text, refusing it once it grows past `maxBodyBytes` (a chunked upload can
 * claim no size). A refused upload is not read further: its connection closes after the 413.
 */
function readBody(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        req.off('data', onData);
        req.pause();
        res.shouldKeepAlive = false;
        reject(bodyTooLarge(maxBodyBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // A client that hangs up mid-upload ends neither with 'end' nor always with 'error'.
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}
