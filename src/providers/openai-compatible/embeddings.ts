/**
 * An EmbeddingModel over OpenAI's embeddings wire format (`POST {baseURL}/embeddings`), spoken
 * by OpenAI, Ollama, vLLM, llama.cpp server, LM Studio and text-embeddings-inference. Splits
 * large inputs into batches, returns unit-length vectors in input order.
 */
import { PlumbError } from '../../core/errors.ts';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import { addUsage, costOf } from '../../core/usage.ts';
import type { ModelPrice, Usage } from '../../core/usage.ts';
import { trimBaseURL } from '../http/endpoint.ts';
import type { ProviderEndpoint } from '../http/endpoint.ts';
import { postJson, readJsonBody } from '../http/json-request.ts';
import { resolvePrice } from '../pricing.ts';
import { providerNameFor } from './chat.ts';
import { decodeEmbedding, normalise } from './embedding-vectors.ts';
import { asRecord } from './openai-response.ts';

export interface OpenAICompatibleEmbeddingsOptions {
  baseURL: string;
  apiKey?: string;
  model: string;
  /** Length of the vectors the model returns; a mismatch is reported, never silently stored. */
  dimensions: number;
  /** Texts per request. Default 128 (OpenAI allows 2048; small local servers prefer fewer). */
  maxBatchSize?: number;
  /** Overrides the list price; unknown models cost 0. */
  price?: ModelPrice;
  headers?: Record<string, string>;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
  /** Longest wait for a new connection (DNS, TCP, TLS handshakes); fails retryable (`upstream_timeout`). Default 5 s. */
  connectTimeoutMs?: number;
  providerName?: string;
  /** Send `dimensions` so models that can shorten their vectors (text-embedding-3-*) do. Default false. */
  requestDimensions?: boolean;
}

const DEFAULT_BATCH_SIZE = 128;
const DEFAULT_TIMEOUT_MS = 60_000;
const tokenizer = getTokenizer();

/** An EmbeddingModel for any server speaking OpenAI's embeddings API. */
export function createOpenAICompatibleEmbeddings(options: OpenAICompatibleEmbeddingsOptions): EmbeddingModel {
  const baseURL = trimBaseURL(options.baseURL);
  const provider = options.providerName ?? providerNameFor(baseURL);
  const endpoint: ProviderEndpoint = { provider, baseURL, apiKey: options.apiKey };
  const headers = { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers };
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new PlumbError('invalid_config', `maxBatchSize must be a positive integer, got ${maxBatchSize}.`, { hint: 'Use e.g. 64.' });
  }

  async function embedBatch(texts: string[], signal: AbortSignal | undefined): Promise<{ vectors: Float32Array[]; usage: Usage }> {
    const body = asRecord(
      await readJsonBody(
        await postJson({
          endpoint,
          model: options.model,
          url: `${baseURL}/embeddings`,
          headers,
          body: {
            model: options.model,
            input: texts,
            encoding_format: 'float',
            ...(options.requestDimensions ? { dimensions: options.dimensions } : {}),
          },
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          connectTimeoutMs: options.connectTimeoutMs,
          signal,
        }),
      ),
    ) ?? {};
    const data = Array.isArray(body['data']) ? body['data'].map((item) => asRecord(item) ?? {}) : [];
    if (data.length !== texts.length) {
      throw new PlumbError('upstream_error', `${provider} returned ${data.length} embeddings for ${texts.length} texts.`, {
        hint: 'Lower maxBatchSize; the server may cap how many inputs it embeds per request.',
        details: { provider },
      });
    }
    // Servers may answer out of order; `index` is the contract, position in the list is not.
    const ordered = data.map((item, position) => ({ index: typeof item['index'] === 'number' ? item['index'] : position, item }));
    ordered.sort((a, b) => a.index - b.index);
    const vectors = ordered.map(({ item }) => {
      const vector = decodeEmbedding(item['embedding'], provider);
      if (vector.length !== options.dimensions) {
        throw new PlumbError('invalid_config', `${options.model} returned ${vector.length}-dimensional vectors, but dimensions is set to ${options.dimensions}.`, {
          hint: `Set dimensions: ${vector.length} for this model (and re-embed anything stored with the old size).`,
          details: { provider, expected: options.dimensions, actual: vector.length },
        });
      }
      return normalise(vector);
    });
    const promptTokens = asRecord(body['usage'])?.['prompt_tokens'];
    const inputTokens = typeof promptTokens === 'number' ? promptTokens : texts.reduce((sum, text) => sum + tokenizer.count(text), 0);
    return { vectors, usage: { inputTokens, outputTokens: 0 } };
  }

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,
    dimensions: options.dimensions,
    maxBatchSize,

    async embed(texts: string[], embedOptions: EmbedOptions = {}): Promise<EmbedResult> {
      const vectors: Float32Array[] = [];
      let usage: Usage = { inputTokens: 0, outputTokens: 0 };
      // One batch at a time: local servers embed on the same cores and gain nothing from overlap.
      for (let start = 0; start < texts.length; start += maxBatchSize) {
        const batch = await embedBatch(texts.slice(start, start + maxBatchSize), embedOptions.signal);
        vectors.push(...batch.vectors);
        usage = addUsage(usage, batch.usage);
      }
      return { vectors, usage, cost: costOf(usage, resolvePrice(options.model, options.price)) };
    },
  };
}
