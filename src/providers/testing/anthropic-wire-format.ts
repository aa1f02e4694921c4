/**
 * Bodies in Anthropic's documented Messages API format (https://docs.anthropic.com/en/api/messages
 * and .../messages-streaming): a `message` object as JSON, the streaming event sequence
 * (message_start, ping, content_block_start/delta/stop, message_delta, message_stop) and
 * `{type:'error',error:{type,message}}` errors, in the body or as an `error` event.
 */
import type { JsonObject } from '../../core/json.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { WireEvent } from './wire-server.ts';

export interface AnthropicUsageReply {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface AnthropicMessageReply {
  type: 'message';
  text?: string;
  /** How the text is split into `text_delta` events; word by word when not given. */
  textChunks?: string[];
  toolUses?: { id: string; name: string; input: JsonObject }[];
  /** Default: "tool_use" when there are tool uses, else "end_turn". */
  stopReason?: string;
  /** Default: counted from the request and the reply. */
  usage?: AnthropicUsageReply;
  /** Default: the model the request named. */
  model?: string;
  headers?: Record<string, string>;
  /** Streaming only: pause between events. */
  delayMs?: number;
  /** Streaming only: cut the connection after this many events. */
  cutAfter?: number;
  /** Streaming only: stop sending (connection open) after this many events. */
  stallAfter?: number;
  /** Streaming only: end the stream without `message_stop`. */
  omitMessageStop?: boolean;
  /** Streaming only: send an `error` event after this many events, then end. */
  streamError?: { after: number; type: string; message: string };
}

export interface AnthropicErrorReply {
  type: 'error';
  status: number;
  /** e.g. "invalid_request_error", "rate_limit_error", "overloaded_error" */
  errorType: string;
  message: string;
  headers?: Record<string, string>;
}

interface RequestedMessage {
  model?: unknown;
  system?: unknown;
  messages?: unknown;
}

const tokenizer = getTokenizer();

/** The `message` JSON object for a scripted reply. */
export function messageBody(reply: AnthropicMessageReply, request: RequestedMessage): unknown {
  const usage = usageOf(reply, request);
  return {
    id: 'msg_wire_1',
    type: 'message',
    role: 'assistant',
    model: modelOf(reply, request),
    content: [
      ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
      ...(reply.toolUses ?? []).map((use) => ({ type: 'tool_use', id: use.id, name: use.name, input: use.input })),
    ],
    stop_reason: stopReasonOf(reply),
    stop_sequence: null,
    usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
  };
}

/** The SSE events of a streamed message, ending in `message_stop`. */
export function messageEvents(reply: AnthropicMessageReply, request: RequestedMessage): WireEvent[] {
  const usage = usageOf(reply, request);
  const event = (type: string, payload: Record<string, unknown>): WireEvent => ({ event: type, data: JSON.stringify({ type, ...payload }) });
  const events: WireEvent[] = [
    event('message_start', {
      message: {
        id: 'msg_wire_1',
        type: 'message',
        role: 'assistant',
        model: modelOf(reply, request),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
          cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
          output_tokens: 1,
        },
      },
    }),
    event('ping', {}),
  ];
  let index = 0;
  if (reply.text) {
    events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const text of reply.textChunks ?? reply.text.match(/\s*\S+\s*/g) ?? [reply.text]) {
      events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    }
    events.push(event('content_block_stop', { index }));
    index++;
  }
  for (const use of reply.toolUses ?? []) {
    events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: use.id, name: use.name, input: {} } }));
    const json = JSON.stringify(use.input);
    const middle = Math.floor(json.length / 2);
    for (const partial_json of ['', json.slice(0, middle), json.slice(middle)]) {
      events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
    }
    events.push(event('content_block_stop', { index }));
    index++;
  }
  events.push(event('message_delta', { delta: { stop_reason: stopReasonOf(reply), stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }));

  if (reply.streamError) {
    const { after, type, message } = reply.streamError;
    return [...events.slice(0, after), event('error', { error: { type, message } })];
  }
  return reply.omitMessageStop ? events : [...events, event('message_stop', {})];
}

/** Anthropic's error body. */
export function anthropicErrorBody(type: string, message: string): unknown {
  return { type: 'error', error: { type, message }, request_id: 'req_wire' };
}

function usageOf(reply: AnthropicMessageReply, request: RequestedMessage): AnthropicUsageReply {
  if (reply.usage) return reply.usage;
  const outputText = (reply.text ?? '') + (reply.toolUses ?? []).map((use) => JSON.stringify(use.input)).join('');
  return { input_tokens: tokenizer.count(JSON.stringify([request.system ?? '', request.messages ?? []])), output_tokens: tokenizer.count(outputText) };
}

function modelOf(reply: AnthropicMessageReply, request: RequestedMessage): string {
  return reply.model ?? (typeof request.model === 'string' ? request.model : 'claude-wire');
}

function stopReasonOf(reply: AnthropicMessageReply): string {
  return reply.stopReason ?? ((reply.toolUses ?? []).length > 0 ? 'tool_use' : 'end_turn');
}
