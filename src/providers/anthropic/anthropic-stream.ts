/**
 * Reading a streamed Anthropic message: message_start (input usage), content_block_start /
 * content_block_delta (text_delta, input_json_delta) / content_block_stop, message_delta
 * (stop_reason, output usage), message_stop; `ping` is ignored and an `error` event fails the
 * stream. A stream that closes before message_stop is an error, not a short answer.
 */
import type { ChatStreamEvent, FinishReason } from '../../core/model.ts';
import { costOf } from '../../core/usage.ts';
import type { ModelPrice } from '../../core/usage.ts';
import type { ProviderEndpoint } from '../http/endpoint.ts';
import { parseEventJson, readEventStream, streamCut } from '../http/json-request.ts';
import type { OpenResponse } from '../http/json-request.ts';
import { errorFromStreamEvent, toFinishReason, toUsage } from './anthropic-response.ts';
import type { AnthropicUsage } from './anthropic-response.ts';

export interface StreamContext {
  endpoint: ProviderEndpoint;
  requestedModel: string;
  price: ModelPrice;
}

type Payload = Record<string, unknown>;

/** Turns an open SSE response into our stream events, ending with exactly one `finish`. */
export async function* messageStreamEvents(open: OpenResponse, context: StreamContext): AsyncGenerator<ChatStreamEvent> {
  let model = context.requestedModel;
  let usage: AnthropicUsage = {};
  let finishReason: FinishReason = 'other';
  let sawStop = false;
  // Anthropic numbers all content blocks; our tool-call indexes count tool calls only.
  const toolBlocks = new Map<number, { toolIndex: number; sentArguments: boolean }>();

  for await (const event of readEventStream(open)) {
    const payload = (parseEventJson(event.data, open) ?? {}) as Payload;
    const type = payload['type'] ?? event.event;
    if (type === 'message_start') {
      const message = (payload['message'] ?? {}) as Payload;
      if (typeof message['model'] === 'string') model = message['model'];
      usage = { ...usage, ...((message['usage'] ?? {}) as AnthropicUsage) };
    } else if (type === 'content_block_start') {
      const block = (payload['content_block'] ?? {}) as Payload;
      if (block['type'] === 'tool_use') {
        const toolIndex = toolBlocks.size;
        toolBlocks.set(Number(payload['index']), { toolIndex, sentArguments: false });
        yield { type: 'tool-call-delta', index: toolIndex, id: String(block['id'] ?? ''), name: String(block['name'] ?? ''), argumentsDelta: '' };
      }
    } else if (type === 'content_block_delta') {
      const delta = (payload['delta'] ?? {}) as Payload;
      if (delta['type'] === 'text_delta' && typeof delta['text'] === 'string' && delta['text'] !== '') {
        yield { type: 'text-delta', text: delta['text'] };
      } else if (delta['type'] === 'input_json_delta' && typeof delta['partial_json'] === 'string' && delta['partial_json'] !== '') {
        const tool = toolBlocks.get(Number(payload['index']));
        if (tool) {
          tool.sentArguments = true;
          yield { type: 'tool-call-delta', index: tool.toolIndex, argumentsDelta: delta['partial_json'] };
        }
      }
    } else if (type === 'content_block_stop') {
      const tool = toolBlocks.get(Number(payload['index']));
      // A tool called without arguments streams no JSON; consumers still need a JSON object.
      if (tool && !tool.sentArguments) {
        tool.sentArguments = true;
        yield { type: 'tool-call-delta', index: tool.toolIndex, argumentsDelta: '{}' };
      }
    } else if (type === 'message_delta') {
      const delta = (payload['delta'] ?? {}) as Payload;
      if (delta['stop_reason'] !== undefined && delta['stop_reason'] !== null) finishReason = toFinishReason(delta['stop_reason']);
      // message_delta usage counts are cumulative, so they replace what message_start said.
      usage = { ...usage, ...definedNumbers((payload['usage'] ?? {}) as Payload) };
    } else if (type === 'message_stop') {
      sawStop = true;
      break;
    } else if (type === 'error') {
      throw errorFromStreamEvent(context.endpoint, model, (payload['error'] ?? {}) as Payload);
    }
    // 'ping' and event types added after this code was written are skipped.
  }
  if (!sawStop) throw streamCut(open, 'it closed before message_stop');

  const finalUsage = toUsage(usage);
  yield { type: 'finish', finishReason, usage: finalUsage, cost: costOf(finalUsage, context.price), model, provider: context.endpoint.provider };
}

function definedNumbers(record: Payload): Payload {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => typeof value === 'number'));
}
