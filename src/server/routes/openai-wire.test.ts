import { describe, expect, it } from 'vitest';
import { chunk, textDeltaChunks } from './openai-wire.ts';

describe('textDeltaChunks', () => {
  const texts = ['', 'Hello', ' world.', 'quote " and \\ backslash', 'line\nbreak\ttab', '\u0000', 'emoji 🚀 and é', '</script>', '"\\u0000"'];
  const models = ['fast', 'plumb-rag', 'a"b', '\u0000', 'weird\u0000model', 'x","choices":[]'];

  it('writes the same bytes as serialising the whole chunk, for any text and model name', () => {
    for (const model of models) {
      const delta = textDeltaChunks('chatcmpl-abc', 1_700_000_000, model);
      for (const text of texts) {
        const expected = JSON.stringify(chunk('chatcmpl-abc', 1_700_000_000, model, { content: text }, null));
        expect(delta(text)).toBe(expected);
        expect((JSON.parse(delta(text)) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta.content).toBe(text);
      }
    }
  });
});
