/**
 * A local server that speaks Anthropic's Messages API (`POST /v1/messages`) from a script, for
 * tests of anything that talks to Anthropic. Like the real API it requires the
 * `anthropic-version` header, and (when given an apiKey) a matching `x-api-key`.
 *
 *   const server = await startAnthropicWireServer([{ type: 'message', text: 'Hi' }]);
 *   // ... point a client at server.baseURL ...
 *   await server.close();
 *
 * A `message` reply is answered as JSON or as an SSE stream depending on the request's
 * `stream` flag, so one script serves both.
 */
import { anthropicErrorBody, messageBody, messageEvents } from './anthropic-wire-format.ts';
import type { AnthropicErrorReply, AnthropicMessageReply } from './anthropic-wire-format.ts';
import { startWireServer } from './wire-server.ts';
import type { RecordedRequest, WireReply, WireServer } from './wire-server.ts';

export type { AnthropicErrorReply, AnthropicMessageReply, AnthropicUsageReply } from './anthropic-wire-format.ts';

/** A scripted answer: an Anthropic-shaped reply, or any raw wire reply (hang, reset, bad JSON). */
export type AnthropicWireReply = AnthropicMessageReply | AnthropicErrorReply | WireReply;

/** Replies in order (one per request), or a function choosing the reply per request. */
export type AnthropicWireScript = AnthropicWireReply[] | ((request: RecordedRequest, index: number) => AnthropicWireReply);

export interface AnthropicWireServerOptions {
  /** When set, requests must carry `x-api-key: <apiKey>` or get Anthropic's 401. */
  apiKey?: string;
}

export interface AnthropicWireServer extends WireServer {
  /** Base URL to give clients (the origin; clients add `/v1/messages`). */
  readonly baseURL: string;
}

/** Starts an Anthropic wire-format server on 127.0.0.1 with an ephemeral port. */
export async function startAnthropicWireServer(
  script: AnthropicWireScript,
  options: AnthropicWireServerOptions = {},
): Promise<AnthropicWireServer> {
  const server = await startWireServer((request, index) => {
    if (options.apiKey !== undefined && request.headers['x-api-key'] !== options.apiKey) {
      return errorReply({ type: 'error', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' });
    }
    if (request.headers['anthropic-version'] === undefined) {
      return errorReply({ type: 'error', status: 400, errorType: 'invalid_request_error', message: 'anthropic-version: header is required' });
    }
    const reply = typeof script === 'function' ? script(request, index) : script[index];
    if (reply === undefined) {
      return errorReply({ type: 'error', status: 500, errorType: 'api_error', message: `wire server script has no reply for request #${index + 1} (${request.method} ${request.path})` });
    }
    return render(reply, request);
  });
  return { ...server, baseURL: server.origin };
}

function render(reply: AnthropicWireReply, request: RecordedRequest): WireReply {
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (reply.type) {
    case 'message':
      if (request.method !== 'POST' || request.path !== '/v1/messages') {
        return errorReply({ type: 'error', status: 404, errorType: 'not_found_error', message: `Not found: ${request.method} ${request.path}` });
      }
      if (body['stream'] === true) {
        return {
          type: 'sse',
          events: messageEvents(reply, body),
          headers: { 'request-id': 'req_wire', ...reply.headers },
          ...(reply.delayMs === undefined ? {} : { delayMs: reply.delayMs }),
          ...(reply.cutAfter === undefined ? {} : { cutAfter: reply.cutAfter }),
          ...(reply.stallAfter === undefined ? {} : { stallAfter: reply.stallAfter }),
        };
      }
      return { type: 'json', body: messageBody(reply, body), headers: { 'request-id': 'req_wire', ...reply.headers } };
    case 'error':
      return errorReply(reply);
    default:
      return reply;
  }
}

function errorReply(reply: AnthropicErrorReply): WireReply {
  return {
    type: 'json',
    status: reply.status,
    headers: { 'request-id': 'req_wire', ...reply.headers },
    body: anthropicErrorBody(reply.errorType, reply.message),
  };
}
