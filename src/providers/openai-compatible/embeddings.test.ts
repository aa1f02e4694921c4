import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIWireServer, vectorFromText } from '../testing/index.ts';
import type { OpenAIWireServer, OpenAIWireScript } from '../testing/index.ts';
import { createOpenAICompatibleEmbeddings } from './embeddings.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: OpenAIWireScript): Promise<OpenAIWireServer> {
  server = await startOpenAIWireServer(script);
  return server;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
}

function cosine(a: Float32Array, b: number[]): number {
  const bNorm = Math.sqrt(b.reduce((sum, v) => sum + v * v, 0));
  return a.reduce((sum, v, i) => sum + v * b[i]!, 0) / bNorm;
}

describe('OpenAI-compatible embeddings', () => {
  it('splits input into batches, keeps input order and returns unit vectors', async () => {
    const s = await serve(() => ({ type: 'embeddings', dimensions: 6, reverseOrder: true }));
    const model = createOpenAICompatibleEmbeddings({ baseURL: s.baseURL, apiKey: 'k', model: 'nomic-embed-text', dimensions: 6, maxBatchSize: 2 });
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const result = await model.embed(texts);

    expect(s.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([['alpha', 'beta'], ['gamma', 'delta'], ['epsilon']]);
    expect(s.requests[0]).toMatchObject({ path: '/v1/embeddings', body: { model: 'nomic-embed-text', encoding_format: 'float' } });
    expect(result.vectors).toHaveLength(5);
    for (const [i, vector] of result.vectors.entries()) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(norm(vector)).toBeCloseTo(1, 5);
      expect(cosine(vector, vectorFromText(texts[i]!, 6))).toBeCloseTo(1, 5); // the right text's vector, not a neighbour's
    }
    expect(result.usage.inputTokens).toBeGreaterThanOrEqual(5);
    expect(result.cost.usd).toBe(0); // unknown local model: free
  });

  it('decodes base64 float32 vectors when a server sends them', async () => {
    const s = await serve([{ type: 'embeddings', vectors: [[3, 4, 0]], encoding: 'base64', usage: { prompt_tokens: 1_000_000 } }]);
    const model = createOpenAICompatibleEmbeddings({ baseURL: s.baseURL, model: 'text-embedding-3-small', dimensions: 3 });
    const result = await model.embed(['x']);
    expect(Array.from(result.vectors[0]!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0]);
    expect(result.cost.usd).toBeCloseTo(0.02, 10); // list price of text-embedding-3-small
  });

  it('sends dimensions when asked and reports a dimension mismatch with a fix', async () => {
    const s = await serve([{ type: 'embeddings' }, { type: 'embeddings', dimensions: 4 }]);
    const model = createOpenAICompatibleEmbeddings({ baseURL: s.baseURL, model: 'text-embedding-3-large', dimensions: 256, requestDimensions: true });
    expect((await model.embed(['a'])).vectors[0]).toHaveLength(256);
    expect(s.requests[0]?.body).toMatchObject({ dimensions: 256 });
    await expect(model.embed(['a'])).rejects.toMatchObject({ code: 'invalid_config', hint: expect.stringContaining('dimensions: 4') });
  });

  it('makes no request for an empty list, and maps provider errors', async () => {
    const s = await serve([{ type: 'error', status: 400, message: "'$.input' is invalid" }]);
    const model = createOpenAICompatibleEmbeddings({ baseURL: s.baseURL, model: 'm', dimensions: 8 });
    expect(await model.embed([])).toMatchObject({ vectors: [], usage: { inputTokens: 0, outputTokens: 0 } });
    expect(s.requests).toHaveLength(0);
    await expect(model.embed([''])).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining("'$.input' is invalid") });
  });
});
