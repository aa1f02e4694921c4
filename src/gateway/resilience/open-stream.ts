/**
 * A stream "opens" when its first event arrives: until then nothing reached the caller, so the
 * call may be retried or failed over like a generate call; after it, a failure can only end the
 * stream with an error (repeating the call would duplicate the prefix the caller already has).
 * Retry, breaker, timeouts and fallback all work on this promise-shaped open step.
 */
import type { ChatModel, ChatRequest, ChatStreamEvent } from '../../core/model.ts';

/** A stream whose first event has arrived, with the iterator that yields the rest. */
export interface OpenedStream {
  first: IteratorResult<ChatStreamEvent>;
  rest: AsyncIterator<ChatStreamEvent>;
}

/** Starts `model.stream(request)` and waits for its first event (or its failure). */
export async function openStream(model: ChatModel, request: ChatRequest): Promise<OpenedStream> {
  const rest = model.stream(request)[Symbol.asyncIterator]();
  const first = await rest.next();
  return { first, rest };
}

/** Replays an opened stream as events, passing each through `map` (e.g. to add finish metadata). */
export async function* eventsOf(
  opened: OpenedStream,
  map: (event: ChatStreamEvent) => ChatStreamEvent = (event) => event,
): AsyncGenerator<ChatStreamEvent> {
  let finished = false;
  try {
    let step = opened.first;
    while (!step.done) {
      yield map(step.value);
      step = await opened.rest.next();
    }
    finished = true;
  } finally {
    // The caller stopped early (break, or an error thrown into us): let the inner stream close its connection.
    if (!finished) await opened.rest.return?.().catch(() => undefined);
  }
}
