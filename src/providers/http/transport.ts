/**
 * The wire under every provider call: one POST through undici's `request()` over a keep-alive
 * connection pool per origin, reused for the life of the process. Not Node's global fetch (also
 * undici), whose Request/Response/web-stream machinery cost ~10x the CPU of the request itself on a
 * fast local upstream, and not node:http's client either: undici's request API took ~25% less CPU
 * per call than a keep-alive node:http Agent one call at a time and ~55% less with ten in flight
 * (bench/gateway-overhead/client-cost.ts), which made the whole gateway ~25% faster at ten
 * connections (LAYERS.md). Bodies are decompressed (gzip, deflate, br) as fetch did; nothing else
 * here knows about providers or PlumbError.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, buildConnector } from 'undici';

/** Connection pools by connect timeout: providers configure their own, and it belongs to the pool. */
const dispatchers = new Map<number, Agent>();

function dispatcherFor(connectTimeoutMs: number): Agent {
  let dispatcher = dispatchers.get(connectTimeoutMs);
  if (!dispatcher) {
    // No header or body timeouts of undici's own: the Deadline of each call bounds the wait.
    dispatcher = new Agent({ connect: timedConnector(connectTimeoutMs), headersTimeout: 0, bodyTimeout: 0 });
    dispatchers.set(connectTimeoutMs, dispatcher);
  }
  return dispatcher;
}

/**
 * undici's connector with a connect timeout of our own: undici's timers tick once a second, so a
 * 200 ms connect timeout would fire after up to a second. A TLS connection counts as connected
 * after its handshake, as undici's own timeout does.
 */
function timedConnector(timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: 0 });
  return (options, callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      socket?.destroy();
      callback(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: CONNECT_TIMEOUT }), null);
    }, timeoutMs);
    // Typed as returning nothing, it returns the socket it is connecting (undici's own timeout destroys it the same way).
    const socket = connect(options, (err, connected) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) callback(err, null);
      else callback(null, connected!);
    }) as unknown as Socket | undefined;
  };
}

interface Target {
  origin: string;
  path: string;
}

/** Parsed request targets by URL: provider URLs are few and fixed, and parsing one costs every call. */
const targets = new Map<string, Target>();
const MAX_TARGETS = 1_000;

function targetFor(url: string): Target {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`unsupported protocol ${parsed.protocol} in ${url}`);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
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

/**
 * A Cancellation as the EventTarget-shaped signal undici listens to, so a call needs no
 * AbortController of its own. It subscribes to the Cancellation once (a Deadline takes a single
 * listener) and tells each of its own listeners.
 */
class CancellationSignal {
  private readonly listeners = new Set<() => void>();
  private subscribed = false;

  constructor(private readonly cancellation: Cancellation) {}

  get aborted(): boolean {
    return this.cancellation.aborted;
  }

  get reason(): unknown {
    return this.cancellation.reason;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.add(listener);
    if (this.subscribed) return;
    this.subscribed = true;
    this.cancellation.onAbort(() => {
      for (const each of [...this.listeners]) each();
    });
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.delete(listener);
  }
}

/** A response whose status has arrived and whose body has not been read yet. */
export interface WireResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The (decompressed) body; iterating it yields Buffers. */
  body: Readable;
  /** The body as it came off the connection, before decompression. */
  raw: Readable;
}

/** The error code of a connection that was not established within `connectTimeoutMs`. */
export const CONNECT_TIMEOUT = 'PLUMB_CONNECT_TIMEOUT';

/** Default for `connectTimeoutMs`: a healthy server (even across an ocean) connects in well under a second. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * POSTs `body` to `url`. Resolves once the status line and headers arrive; rejects with the
 * socket's own error (its `code`, or its cause's, says ECONNREFUSED, ECONNRESET, ...), with an
 * error whose code is CONNECT_TIMEOUT when a new connection (DNS, TCP and TLS handshakes) takes
 * longer than `connectTimeoutMs`, or, when `signal` fires, with `signal.reason`. Aborting later
 * destroys the body, so a body being read fails. A kept-alive connection is already connected, so
 * only requests that open a connection meet the connect timeout.
 */
export async function postRaw(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: Cancellation,
  connectTimeoutMs: number = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<WireResponse> {
  if (signal.aborted) throw signal.reason;
  const target = targetFor(url);
  const cancellable = new CancellationSignal(signal);
  const sent = dispatcherFor(connectTimeoutMs).request({
    origin: target.origin,
    path: target.path,
    method: 'POST',
    headers: { 'accept-encoding': 'gzip, deflate, br', ...headers },
    body,
    signal: cancellable,
  });
  // undici acts on an abort only once a connection is up; a caller must not wait for a hung connect.
  let onCancel: () => void = ignore;
  const cancelled = new Promise<never>((_, reject) => {
    onCancel = () => reject(signal.reason);
    cancellable.addEventListener('abort', onCancel);
  });
  let response;
  try {
    response = await Promise.race([sent, cancelled]);
  } catch (err) {
    sent.catch(ignore); // a request given up on while connecting fails later, at its connect timeout
    if (signal.aborted) throw signal.reason;
    throw err;
  } finally {
    cancellable.removeEventListener('abort', onCancel);
  }
  const raw = response.body;
  // A body nobody reads any more (the caller stopped early) may still fail; that is not a crash.
  raw.on('error', ignore);
  return { status: response.statusCode, headers: response.headers, body: decoded(raw, response.headers), raw };
}

function decoded(raw: Readable, headers: IncomingHttpHeaders): Readable {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  const decompressor =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? createInflate({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? createBrotliDecompress({ flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH })
          : undefined;
  if (!decompressor) return raw;
  decompressor.on('error', ignore);
  raw.once('error', (err) => decompressor.destroy(err));
  decompressor.once('close', () => {
    if (!arrived(raw)) raw.destroy();
  });
  return raw.pipe(decompressor);
}

/** True once the last byte of a body came off the connection, whether or not it was read. */
function arrived(raw: Readable): boolean {
  return (raw as Readable & { _readableState?: { ended?: boolean } })._readableState?.ended === true;
}

function ignore(): void {}

/**
 * Lets go of a body the caller stopped reading. When every byte already arrived (an SSE stream
 * read up to its end marker), the rest is drained so the connection goes back to the pool;
 * otherwise the caller's abandon (destroying the body) is what stops it.
 */
export function releaseIfComplete(response: WireResponse): boolean {
  if (!arrived(response.raw) || response.body.destroyed) return false;
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
