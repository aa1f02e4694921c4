/** Reading a ChatModel stream in tests: every event, or just the text. */
import type { ChatStreamEvent } from '../../core/model.ts';

/** Every event of a stream, in order. */
export async function collectEvents(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const out: ChatStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The concatenated text deltas of a stream. */
export async function streamText(events: AsyncIterable<ChatStreamEvent>): Promise<string> {
  let text = '';
  for await (const event of events) if (event.type === 'text-delta') text += event.text;
  return text;
}
