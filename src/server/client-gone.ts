import type { ServerResponse } from 'node:http';

/**
 * A signal that fires when the client goes away before its answer is complete (the response
 * closes unfinished): it cancels the upstream call and stops a stream's producer.
 */
export function clientGoneSignal(res: ServerResponse): AbortSignal {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort.signal;
}
