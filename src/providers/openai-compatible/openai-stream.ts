/**
 * Reading a streamed chat completion: `chat.completion.chunk` events until `data: [DONE]`.
 * Text and tool-call deltas are passed on as they arrive; usage comes from the last chunk
 * (sent because we ask for `stream_options.include_usage`). A stream that stops before
 * `[DONE]`, or carries an `{error}` chunk, fails instead of looking like a short answer.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ChatStreamEvent, FinishReason, Message } from '../../core/model.ts';
import { costOf } from '../../core/usage.ts';
import type { ModelPrice, Usage } from '../../core/usage.ts';
import { parseEventJson, readEventStream, streamCut } from '../http/json-request.ts';
import type { OpenResponse } from '../http/json-request.ts';
import { readProviderErrorBody } from '../http/provider-errors.ts';
import { asRecord, estimateUsage, toFinishReason, toUsage } from './openai-response.ts';

export interface StreamContext {
  provider: string;
  requestedModel: string;
  messages: Message[];
  price: ModelPrice;
}

/** Turns an open SSE response into our stream events, ending with exactly one `finish`. */
export async function* chatStreamEvents(open: OpenResponse, context: StreamContext): AsyncGenerator<ChatStreamEvent> {
  let finishReason: FinishReason = 'other';
  let usage: Usage | undefined;
  let model = context.requestedModel;
  let output = '';
  let sawDone = false;

  for await (const event of readEventStream(open)) {
    if (event.data === '[DONE]') {
      sawDone = true;
      break;
    }
    const chunk = asRecord(parseEventJson(event.data, open)) ?? {};
    if (chunk['error'] !== undefined) throw streamedError(context.provider, event.data);
    if (typeof chunk['model'] === 'string' && chunk['model'] !== '') model = chunk['model'];
    usage = toUsage(chunk['usage']) ?? usage;

    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    const choice = asRecord(choices.find((c) => (asRecord(c)?.['index'] ?? 0) === 0));
    if (!choice) continue;
    const delta = asRecord(choice['delta']) ?? {};
    const content = delta['content'];
    if (typeof content === 'string' && content !== '') {
      output += content;
      yield { type: 'text-delta', text: content };
    }
    for (const raw of Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : []) {
      const toolDelta = toolCallDelta(raw);
      if (!toolDelta) continue;
      output += (toolDelta.name ?? '') + toolDelta.argumentsDelta;
      yield toolDelta;
    }
    if (choice['finish_reason'] !== null && choice['finish_reason'] !== undefined) finishReason = toFinishReason(choice['finish_reason']);
  }
  if (!sawDone) throw streamCut(open, 'it closed without the final "data: [DONE]"');

  const finalUsage = usage ?? estimateUsage(context.messages, output);
  yield { type: 'finish', finishReason, usage: finalUsage, cost: costOf(finalUsage, context.price), model, provider: context.provider };
}

function toolCallDelta(raw: unknown): Extract<ChatStreamEvent, { type: 'tool-call-delta' }> | undefined {
  const call = asRecord(raw);
  if (!call) return undefined;
  const fn = asRecord(call['function']) ?? {};
  const id = call['id'];
  const name = fn['name'];
  const args = fn['arguments'];
  return {
    type: 'tool-call-delta',
    index: typeof call['index'] === 'number' ? call['index'] : 0,
    ...(typeof id === 'string' && id !== '' ? { id } : {}),
    ...(typeof name === 'string' && name !== '' ? { name } : {}),
    argumentsDelta: typeof args === 'string' ? args : '',
  };
}

function streamedError(provider: string, data: string): PlumbError {
  const body = readProviderErrorBody(data);
  return new PlumbError('upstream_error', `${provider} sent an error in the middle of the stream${body.type ? ` (${body.type})` : ''}: ${body.message}`, {
    hint: 'Retry the request; the server failed while generating.',
    details: { provider, ...(body.type === undefined ? {} : { providerErrorType: body.type }) },
  });
}
