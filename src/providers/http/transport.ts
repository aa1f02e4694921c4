/**
 * The wire under every provider call: one `node:http`/`node:https` POST over a keep-alive Agent
 * per origin, reused for the life of the process. Replaces Node's global fetch (undici), whose
 * Request/Response/web-stream machinery cost ~10x the CPU of the request itself on a fast
 * local upstream (bench/gateway-overhead). Bodies are decompressed (gzip, deflate, br) as fetch
 * did; nothing else here knows about providers or PlumbError.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

const agents = new Map<string, HttpAgent>();

function agentFor(url: URL): HttpAgent {
  let agent = agents.get(url.origin);
  if (!agent) {
    agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    agents.set(url.origin, agent);
  }
  return agent;
}

interface Target {
  send: typeof httpRequest;
  options: RequestOptions;
}

/** Parsed request targets by URL: provider URLs are few and fixed, and parsing one costs every call. */
const targets = new Map<string, Target>();
const MAX_TARGETS = 1_000;

function targetFor(url: string): Target {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = {
      send: parsed.protocol === 'https:' ? httpsRequest : httpRequest,
      options: { ...urlToHttpOptions(parsed), method: 'POST', agent: agentFor(parsed) },
    };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/** What cancels a request: an AbortSignal-like source with a single listener (see deadline.ts). */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` once when cancelled; returns what unsubscribes. */
  onAbort(listener: (reason: unknown) => void): () => void;
}

/** A response whose status has arrived and whose body has not been read yet. */
export interface WireResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The (decompressed) body; iterating it yields Buffers. */
  body: Readable;
  /** The raw message; `complete` once its last byte arrived, even if not all of it was read. */
  incoming: IncomingMessage;
}

/** The error code of a connection that was not established within `connectTimeoutMs`. */
export const CONNECT_TIMEOUT = 'PLUMB_CONNECT_TIMEOUT';

/** Default for `connectTimeoutMs`: a healthy server (even across an ocean) connects in well under a second. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * POSTs `body` to `url`. Resolves once the status line and headers arrive; rejects with the
 * socket's own error (its `code` says ECONNREFUSED, ECONNRESET, ...), with an error whose code
 * is CONNECT_TIMEOUT when a new connection (DNS, TCP and TLS handshakes) takes longer than
 * `connectTimeoutMs`, or, when `signal` fires, with `signal.reason`. Aborting later destroys
 * the connection, so a body being read fails. A kept-alive socket is already connected, so
 * only requests that open a connection meet the connect timeout.
 */
export function postRaw(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: Cancellation,
  connectTimeoutMs: number = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<WireResponse> {
  return new Promise<WireResponse>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let target: Target;
    try {
      target = targetFor(url);
    } catch (err) {
      reject(err);
      return;
    }
    const req = target.send({
      ...target.options,
      headers: { 'accept-encoding': 'gzip, deflate, br', ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    // Aborting later (even after the response arrived) destroys the connection, so a body being read fails.
    signal.onAbort((reason) => {
      req.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    });
    let stopConnectTimer = ignore;
    req.once('socket', (socket: Socket) => {
      stopConnectTimer = connectTimer(socket, connectTimeoutMs, (err) => req.destroy(err));
    });
    req.on('error', (err) => {
      stopConnectTimer();
      reject(signal.aborted ? signal.reason : err);
    });
    req.once('response', (res: IncomingMessage) => {
      stopConnectTimer();
      // A body nobody reads any more (the caller stopped early) may still fail; that is not a crash.
      res.on('error', ignore);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: decoded(res), incoming: res });
    });
    req.end(body);
  });
}

/**
 * Fails a socket still connecting after `ms` (through `fail`, which destroys the request);
 * returns what stops the timer. Node's own `timeout` option bounds idleness, not connecting, and
 * the OS gives up on an unanswered SYN only after minutes.
 */
function connectTimer(socket: Socket, ms: number, fail: (err: Error) => void): () => void {
  if (!socket.connecting) return ignore; // a kept-alive socket, already connected
  // A TLS socket is usable after its handshake, which starts once TCP connected.
  const ready = socket instanceof TLSSocket ? 'secureConnect' : 'connect';
  const timer = setTimeout(() => {
    const err = new Error(`no connection within ${ms} ms`) as NodeJS.ErrnoException;
    err.code = CONNECT_TIMEOUT;
    fail(err);
  }, ms);
  const stop = (): void => {
    clearTimeout(timer);
    socket.removeListener(ready, stop);
  };
  socket.once(ready, stop);
  return stop;
}

function decoded(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decompressor =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? createInflate({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? createBrotliDecompress({ flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH })
          : undefined;
  if (!decompressor) return res;
  decompressor.on('error', ignore);
  res.once('error', (err) => decompressor.destroy(err));
  decompressor.once('close', () => {
    if (!res.complete) res.destroy();
  });
  return res.pipe(decompressor);
}

function ignore(): void {}

/**
 * Lets go of a body the caller stopped reading. When every byte already arrived (an SSE stream
 * read up to its end marker), the rest is drained so the connection goes back to the Agent;
 * otherwise the caller's abandon (destroying the connection) is what stops it.
 */
export function releaseIfComplete(response: WireResponse): boolean {
  if (!response.incoming.complete || response.body.destroyed) return false;
  response.body.resume();
  return true;
}

/**
 * Reads a whole body as UTF-8 text. With 'data'/'end' listeners rather than `for await`: the
 * async iterator costs a promise per chunk plus end-of-stream bookkeeping on every request.
 */
export function readText(body: Readable): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const parts: Buffer[] = [];
    const onData = (part: Buffer): void => {
      parts.push(part);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    // A body destroyed before its end (an abort, a cut connection) closes without 'end'.
    const onClose = (): void => onError(Object.assign(new Error('the response body closed before its end'), { code: 'ECONNRESET' }));
    const cleanup = (): void => {
      body.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    if (body.destroyed) {
      onError((body.errored as Error | null) ?? Object.assign(new Error('the response body was already closed'), { code: 'ECONNRESET' }));
      return;
    }
    body.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

/** Response headers as a fetch `Headers`, for the (rare) error path that parses them. */
export function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}
