/**
 * Passes a model's stream through while watching it, so limits and budgets can settle a
 * stream: on its `finish` event with the usage it reports, or — when it fails or the consumer
 * stops midway — with what was probably billed (the input and the output seen so far).
 */
import type { ChatStreamEvent, ResponseMetadata } from '../../core/model.ts';
import type { Tokenizer } from '../../core/tokenizer.ts';
import type { Usage } from '../../core/usage.ts';

export interface StreamMeter {
  /** Settles with the finish event; what it returns is merged into the event's metadata. */
  finish(event: Extract<ChatStreamEvent, { type: 'finish' }>): Promise<ResponseMetadata>;
  /**
   * The stream ended without `finish`. `partial` is undefined when nothing was streamed (the
   * call failed before its first byte: release); else the input plus the output seen.
   */
  cut(partial: Usage | undefined): Promise<void>;
}

/** Yields `events` unchanged (metadata added to `finish`), calling the meter exactly once. */
export async function* meteredStream(
  events: AsyncIterable<ChatStreamEvent>,
  meter: StreamMeter,
  estimatedInputTokens: number,
  tokenizer: Tokenizer,
): AsyncGenerator<ChatStreamEvent> {
  let settled = false;
  let started = false;
  let output = '';
  try {
    for await (const event of events) {
      if (event.type === 'finish') {
        settled = true;
        const extra = await meter.finish(event);
        yield { ...event, metadata: { ...event.metadata, ...extra } };
        continue;
      }
      started = true;
      output += event.type === 'text-delta' ? event.text : (event.name ?? '') + event.argumentsDelta;
      yield event;
    }
  } finally {
    if (!settled) {
      await meter.cut(started ? { inputTokens: estimatedInputTokens, outputTokens: tokenizer.count(output) } : undefined);
    }
  }
}
