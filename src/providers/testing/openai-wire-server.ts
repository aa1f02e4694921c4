/**
 * A local server that speaks OpenAI's HTTP API (`POST /v1/chat/completions`, `POST /v1/embeddings`)
 * from a script, for tests of anything that talks to an OpenAI-compatible endpoint — our own
 * provider, the gateway, or the official `openai` SDK.
 *
 *   const server = await startOpenAIWireServer([{ type: 'chat', text: 'Hello' }], { apiKey: 'sk-test' });
 *   // ... point a client at server.baseURL ...
 *   expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
 *   await server.close();
 *
 * A `chat` reply is answered as JSON or as an SSE stream depending on the request's `stream`
 * flag, so one script serves both. Requests to other paths get OpenAI's 404 error.
 */
import { chatCompletionBody, chatCompletionEvents, embeddingsBody, openAIErrorBody } from './openai-wire-format.ts';
import type { OpenAIChatReply, OpenAIEmbeddingsReply, OpenAIErrorReply } from './openai-wire-format.ts';
import { startWireServer } from './wire-server.ts';
import type { RecordedRequest, WireReply, WireServer } from './wire-server.ts';

export type { OpenAIChatReply, OpenAIEmbeddingsReply, OpenAIErrorReply, OpenAIUsageReply } from './openai-wire-format.ts';

/** A scripted answer: an OpenAI-shaped reply, or any raw wire reply (hang, reset, bad JSON). */
export type OpenAIWireReply = OpenAIChatReply | OpenAIEmbeddingsReply | OpenAIErrorReply | WireReply;

/** Replies in order (one per request), or a function choosing the reply per request. */
export type OpenAIWireScript = OpenAIWireReply[] | ((request: RecordedRequest, index: number) => OpenAIWireReply);

export interface OpenAIWireServerOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get OpenAI's 401. */
  apiKey?: string;
}

export interface OpenAIWireServer extends WireServer {
  /** Base URL to give clients, ending in `/v1`. */
  readonly baseURL: string;
}

const CHAT_PATH = '/v1/chat/completions';
const EMBEDDINGS_PATH = '/v1/embeddings';

/** Starts an OpenAI wire-format server on 127.0.0.1 with an ephemeral port. */
export async function startOpenAIWireServer(script: OpenAIWireScript, options: OpenAIWireServerOptions = {}): Promise<OpenAIWireServer> {
  const server = await startWireServer((request, index) => {
    if (options.apiKey !== undefined && request.headers['authorization'] !== `Bearer ${options.apiKey}`) {
      return errorReply({ type: 'error', status: 401, message: 'Incorrect API key provided.', errorType: 'invalid_request_error', code: 'invalid_api_key' });
    }
    const reply = typeof script === 'function' ? script(request, index) : script[index];
    if (reply === undefined) {
      return errorReply({ type: 'error', status: 500, message: `wire server script has no reply for request #${index + 1} (${request.method} ${request.path})`, errorType: 'server_error' });
    }
    return render(reply, request);
  });
  return { ...server, baseURL: `${server.origin}/v1` };
}

function render(reply: OpenAIWireReply, request: RecordedRequest): WireReply {
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (reply.type) {
    case 'chat':
      if (!isPost(request, CHAT_PATH)) return unknownURL(request);
      if (body['stream'] === true) {
        return {
          type: 'sse',
          events: chatCompletionEvents(reply, body),
          headers: { 'x-request-id': 'req_wire', ...reply.headers },
          ...(reply.delayMs === undefined ? {} : { delayMs: reply.delayMs }),
          ...(reply.cutAfter === undefined ? {} : { cutAfter: reply.cutAfter }),
          ...(reply.stallAfter === undefined ? {} : { stallAfter: reply.stallAfter }),
        };
      }
      return { type: 'json', body: chatCompletionBody(reply, body), headers: { 'x-request-id': 'req_wire', ...reply.headers } };
    case 'embeddings':
      if (!isPost(request, EMBEDDINGS_PATH)) return unknownURL(request);
      return { type: 'json', body: embeddingsBody(reply, body) };
    case 'error':
      return errorReply(reply);
    default:
      return reply;
  }
}

function errorReply(reply: OpenAIErrorReply): WireReply {
  return {
    type: 'json',
    status: reply.status,
    headers: { 'x-request-id': 'req_wire', ...reply.headers },
    body: openAIErrorBody(reply.message, reply.errorType ?? 'invalid_request_error', reply.code ?? null),
  };
}

function unknownURL(request: RecordedRequest): WireReply {
  return errorReply({
    type: 'error',
    status: 404,
    message: `Invalid URL (${request.method} ${request.path})`,
    errorType: 'invalid_request_error',
  });
}

function isPost(request: RecordedRequest, path: string): boolean {
  return request.method === 'POST' && request.path === path;
}
