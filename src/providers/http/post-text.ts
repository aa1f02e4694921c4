/**
 * One POST whose whole answer is read as text, within a time limit: for callers that are not
 * model providers (the OTLP trace exporter) but want the same keep-alive transport, connect
 * timeout and decompression. Never throws for an HTTP status; throws for a network failure or
 * the time limit.
 */
import { Deadline } from './deadline.ts';
import { parseRetryAfter } from './retry-after.ts';
import { postRaw, readText, toHeaders } from './transport.ts';

export interface TextResponse {
  status: number;
  text: string;
  /** What Retry-After or retry-after-ms asked for, in milliseconds. */
  retryAfterMs?: number;
}

export async function postText(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<TextResponse> {
  const deadline = new Deadline(timeoutMs, undefined);
  let read = false;
  try {
    const response = await postRaw(url, headers, body, deadline);
    const text = await readText(response.body);
    read = true;
    const retryAfterS = response.status >= 400 ? parseRetryAfter(toHeaders(response.headers)) : undefined;
    return { status: response.status, text, ...(retryAfterS !== undefined ? { retryAfterMs: retryAfterS * 1000 } : {}) };
  } catch (error) {
    if (deadline.timedOut) throw new Error(`no answer within ${timeoutMs} ms`, { cause: error });
    throw error;
  } finally {
    // A body read to its end leaves the connection to the keep-alive pool; otherwise it is closed.
    deadline.dispose(!read);
  }
}
