import { describe, expect, it } from 'vitest';
import { sseResponse } from './sse.ts';

async function chunksOf(response: Response): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

describe('sseResponse', () => {
  it('sends the events of one turn as one chunk, and does not hold them back for the next turn', async () => {
    let firstChunkSeenBeforeSecondBurst = false;
    const response = sseResponse(
      async (w) => {
        w.send(null, { n: 1 });
        w.send(null, { n: 2 });
        w.send('note', { n: 3 });
        await new Promise((resolve) => setTimeout(resolve, 30));
        firstChunkSeenBeforeSecondBurst = seen.length === 1;
        w.send(null, { n: 4 });
        w.sendRaw('[DONE]');
      },
      () => undefined,
    );
    const seen: string[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(decoder.decode(value));
    }
    expect(seen).toEqual(['data: {"n":1}\n\ndata: {"n":2}\n\nevent: note\ndata: {"n":3}\n\n', 'data: {"n":4}\n\ndata: [DONE]\n\n']);
    expect(firstChunkSeenBeforeSecondBurst).toBe(true);
  });

  it('sends what was queued before an error, then the error event', async () => {
    const response = sseResponse(
      async (w) => {
        w.send(null, { n: 1 });
        throw new Error('upstream cut');
      },
      (error, w) => w.send('error', { message: (error as Error).message }),
    );
    expect((await chunksOf(response)).join('')).toBe('data: {"n":1}\n\nevent: error\ndata: {"message":"upstream cut"}\n\n');
  });
});
