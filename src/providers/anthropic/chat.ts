/**
 * A ChatModel over Anthropic's Messages API (`POST {baseURL}/v1/messages`,
 * `anthropic-version: 2023-06-01`), with tools, streaming and prompt-cache usage. Uses the
 * global fetch; no SDK.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, ToolCall } from '../../core/model.ts';
import { costOf } from '../../core/usage.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { trimBaseURL } from '../http/endpoint.ts';
import type { ProviderEndpoint } from '../http/endpoint.ts';
import { postJson, readJsonBody } from '../http/json-request.ts';
import { resolvePrice } from '../pricing.ts';
import { messagesRequestBody } from './anthropic-request.ts';
import { toFinishReason, toUsage } from './anthropic-response.ts';
import type { AnthropicUsage } from './anthropic-response.ts';
import { messageStreamEvents } from './anthropic-stream.ts';

export interface AnthropicChatOptions {
  /** Default https://api.anthropic.com (no `/v1`: it is part of the path). */
  baseURL?: string;
  apiKey: string;
  /** e.g. "claude-sonnet-4-20250514", "claude-3-5-haiku-latest". */
  model: string;
  /** Sent as `max_tokens` when a request sets none (the API requires one). Default 4096. */
  maxOutputTokens?: number;
  /** Overrides the list price (src/providers/pricing.ts). */
  price?: ModelPrice;
  headers?: Record<string, string>;
  /** Whole-call limit for generate; longest silence between events for stream. Default 120 s. */
  timeoutMs?: number;
  /** Longest wait for a new connection (DNS, TCP, TLS handshakes); fails retryable (`upstream_timeout`). Default 5 s. */
  connectTimeoutMs?: number;
  /** Default "anthropic"; set it for proxies that speak the Anthropic format. */
  providerName?: string;
}

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
const DEFAULT_TIMEOUT_MS = 120_000;

/** A ChatModel for Anthropic's Messages API. */
export function createAnthropicChat(options: AnthropicChatOptions): ChatModel {
  const baseURL = trimBaseURL(options.baseURL ?? DEFAULT_BASE_URL);
  const provider = options.providerName ?? 'anthropic';
  const endpoint: ProviderEndpoint = { provider, baseURL, apiKey: options.apiKey };
  const headers = { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION, ...options.headers };
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;

  const open = (request: ChatRequest, model: string, stream: boolean) =>
    postJson({
      endpoint,
      model,
      url: `${baseURL}/v1/messages`,
      headers,
      body: messagesRequestBody(request, model, maxOutputTokens, stream),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      connectTimeoutMs: options.connectTimeoutMs,
      signal: request.signal,
    });

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,

    async generate(request: ChatRequest): Promise<ChatResponse> {
      const model = request.model ?? options.model;
      const body = (await readJsonBody(await open(request, model, false))) as Record<string, unknown> | null;
      if (!body || body['type'] !== 'message' || !Array.isArray(body['content'])) {
        throw new PlumbError('upstream_error', `${provider} answered with something that is not a message: ${JSON.stringify(body).slice(0, 200)}`, {
          hint: `Check that ${baseURL} serves Anthropic's /v1/messages API.`,
          details: { provider },
        });
      }
      let text = '';
      const toolCalls: ToolCall[] = [];
      for (const block of body['content'] as Record<string, unknown>[]) {
        if (block['type'] === 'text' && typeof block['text'] === 'string') text += block['text'];
        if (block['type'] === 'tool_use') {
          toolCalls.push({ id: String(block['id'] ?? ''), name: String(block['name'] ?? ''), arguments: JSON.stringify(block['input'] ?? {}) });
        }
      }
      const usage = toUsage((body['usage'] ?? {}) as AnthropicUsage);
      return {
        text,
        toolCalls,
        finishReason: toFinishReason(body['stop_reason']),
        usage,
        cost: costOf(usage, resolvePrice(model, options.price)),
        model: typeof body['model'] === 'string' ? body['model'] : model,
        provider,
      };
    },

    async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
      const model = request.model ?? options.model;
      const response = await open(request, model, true);
      yield* messageStreamEvents(response, { endpoint, requestedModel: model, price: resolvePrice(model, options.price) });
    },
  };
}
