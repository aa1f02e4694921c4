/**
 * POSTing JSON to a provider over a keep-alive connection pool per origin (undici, transport.ts),
 * and reading the answer back as JSON or
 * as Server-Sent Events. Every failure on the way (connection refused, timeout, error status,
 * malformed JSON, a stream cut midway) leaves here as a PlumbError; a caller's abort leaves as
 * the caller's own abort reason, because that is what an aborting caller waits for.
 */
import { PlumbError } from '../../core/errors.ts';
import { Deadline } from './deadline.ts';
import { redactSecret } from './endpoint.ts';
import type { ProviderEndpoint } from './endpoint.ts';
import { errorFromResponse, hintFor } from './provider-errors.ts';
import { parseServerSentEvents } from './sse.ts';
import type { ServerSentEvent } from './sse.ts';
import { CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_MS, postRaw, readText, releaseIfComplete, toHeaders } from './transport.ts';
import type { WireResponse } from './transport.ts';

export interface JsonPost {
  endpoint: ProviderEndpoint;
  /** The model asked for, named in not-found hints. */
  model: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  /** Longest wait for a new connection (DNS, TCP, TLS); default DEFAULT_CONNECT_TIMEOUT_MS (5 s). */
  connectTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** A successful (2xx) response whose body has not been read yet. */
export interface OpenResponse {
  response: WireResponse;
  deadline: Deadline;
  post: JsonPost;
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
const ACCEPT = 'application/json, text/event-stream';

/** Sends the request; resolves once a 2xx status arrives, throws a PlumbError for any other. */
export async function postJson(post: JsonPost): Promise<OpenResponse> {
  const deadline = new Deadline(post.timeoutMs, post.signal);
  let response: WireResponse;
  try {
    response = await postRaw(
      post.url,
      { 'content-type': 'application/json', accept: ACCEPT, ...post.headers },
      JSON.stringify(post.body),
      deadline,
      post.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
  } catch (err) {
    deadline.dispose();
    throw failureBeforeResponse(err, post, deadline);
  }
  if (response.status < 200 || response.status > 299) {
    let bodyText = '';
    try {
      bodyText = await readText(response.body);
    } catch {
      // The status already says what failed; a lost error body only costs us its message.
    }
    deadline.dispose();
    if (deadline.callerAborted) throw deadline.callerReason;
    throw errorFromResponse(post.endpoint, post.model, response.status, toHeaders(response.headers), bodyText);
  }
  return { response, deadline, post };
}

/** Reads the whole body as JSON. */
export async function readJsonBody(open: OpenResponse): Promise<unknown> {
  let text: string;
  try {
    text = await readText(open.response.body);
  } catch (err) {
    throw failureWhileReading(err, open);
  } finally {
    open.deadline.dispose();
  }
  try {
    return JSON.parse(text);
  } catch {
    const snippet = redactSecret(text.slice(0, 200), open.post.endpoint.apiKey);
    throw new PlumbError('upstream_error', `${open.post.endpoint.provider} sent a body that is not valid JSON: ${JSON.stringify(snippet)}`, {
      hint: `Check that ${open.post.endpoint.baseURL} is the provider's API base URL (not a web page or a proxy error).`,
      details: { provider: open.post.endpoint.provider },
    });
  }
}

/**
 * Reads the body as Server-Sent Events. The timeout restarts on every chunk, so a long answer
 * may stream for minutes while a stalled one still fails. Stopping early closes the connection.
 */
export async function* readEventStream(open: OpenResponse): AsyncGenerator<ServerSentEvent> {
  const body = open.response.body;
  let finished = false;
  try {
    // Not destroyed on an early stop: a stream read up to its end marker keeps its connection.
    for await (const event of parseServerSentEvents(touching(body.iterator({ destroyOnReturn: false }), open.deadline))) {
      yield event;
    }
    finished = true;
  } catch (err) {
    throw failureWhileReading(err, open);
  } finally {
    open.deadline.dispose(!finished && !releaseIfComplete(open.response));
  }
}

/** Parses one SSE data payload, failing as an upstream error rather than a SyntaxError. */
export function parseEventJson(data: string, open: OpenResponse): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new PlumbError('upstream_error', `${open.post.endpoint.provider} streamed an event that is not valid JSON: ${JSON.stringify(data.slice(0, 200))}`, {
      hint: 'Retry; if it keeps happening, the server does not speak this provider\'s streaming format.',
      details: { provider: open.post.endpoint.provider },
    });
  }
}

/** The error for a stream that stopped before its end marker. */
export function streamCut(open: OpenResponse, what: string): PlumbError {
  return new PlumbError('upstream_error', `${open.post.endpoint.provider} stream ended early: ${what}; the answer is incomplete.`, {
    hint: 'Retry the request; a proxy or the server closed the stream midway.',
    details: { provider: open.post.endpoint.provider },
  });
}

async function* touching(body: AsyncIterable<unknown>, deadline: Deadline): AsyncGenerator<Uint8Array> {
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    deadline.restart();
    yield chunk;
  }
}

function failureBeforeResponse(err: unknown, post: JsonPost, deadline: Deadline): unknown {
  if (deadline.callerAborted) return deadline.callerReason;
  const { endpoint, model } = post;
  if (deadline.timedOut) {
    return new PlumbError('upstream_timeout', `${endpoint.provider} did not answer within ${post.timeoutMs} ms (${post.url}).`, {
      hint: hintFor('upstream_timeout', endpoint, model),
      details: { provider: endpoint.provider, timeoutMs: post.timeoutMs },
    });
  }
  const code = causeCode(err);
  if (code === CONNECT_TIMEOUT) {
    const connectTimeoutMs = post.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new PlumbError('upstream_timeout', `Could not connect to ${endpoint.provider} at ${endpoint.baseURL} within ${connectTimeoutMs} ms.`, {
      hint: `Check that ${endpoint.baseURL} is reachable from here (a firewall or a down host drops connections silently); retry, fall back, or raise the connect timeout.`,
      cause: err,
      details: { provider: endpoint.provider, baseURL: endpoint.baseURL, timeout: 'connect', timeoutMs: connectTimeoutMs },
    });
  }
  if (code !== undefined && CONNECT_FAILURES.has(code)) {
    return new PlumbError('unavailable', `Could not connect to ${endpoint.provider} at ${endpoint.baseURL} (${code}).`, {
      hint: hintFor('unavailable', endpoint, model),
      cause: err,
      details: { provider: endpoint.provider, baseURL: endpoint.baseURL },
    });
  }
  return new PlumbError('upstream_error', `${endpoint.provider} at ${endpoint.baseURL} closed the connection without answering (${code ?? describe(err)}).`, {
    hint: 'Retry the request; if it persists, check the server logs.',
    cause: err,
    details: { provider: endpoint.provider },
  });
}

function failureWhileReading(err: unknown, open: OpenResponse): unknown {
  if (err instanceof PlumbError) return err;
  if (open.deadline.callerAborted) return open.deadline.callerReason;
  const { endpoint } = open.post;
  if (open.deadline.timedOut) {
    return new PlumbError('upstream_timeout', `${endpoint.provider} stopped sending for ${open.post.timeoutMs} ms in the middle of a response.`, {
      hint: hintFor('upstream_timeout', endpoint, open.post.model),
      details: { provider: endpoint.provider, timeoutMs: open.post.timeoutMs },
    });
  }
  return streamCut(open, `the connection broke (${causeCode(err) ?? describe(err)})`);
}

/** The system error code (ECONNREFUSED, ECONNRESET, ...) of a socket error or of its cause. */
function causeCode(err: unknown): string | undefined {
  const error = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof error?.code === 'string') return error.code;
  return typeof error?.cause?.code === 'string' ? error.cause.code : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
