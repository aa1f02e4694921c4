/**
 * A ChatModel over the OpenAI chat completions wire format (`POST {baseURL}/chat/completions`),
 * which OpenAI, Ollama (`http://127.0.0.1:11434/v1`), vLLM, llama.cpp server, Groq and LM Studio
 * all speak. Uses the global fetch; no SDK.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, ToolCall } from '../../core/model.ts';
import { costOf } from '../../core/usage.ts';
import type { ModelPrice } from '../../core/usage.ts';
import { trimBaseURL } from '../http/endpoint.ts';
import type { ProviderEndpoint } from '../http/endpoint.ts';
import { postJson, readJsonBody } from '../http/json-request.ts';
import { resolvePrice } from '../pricing.ts';
import { chatCompletionRequestBody } from './openai-request.ts';
import type { MaxTokensField } from './openai-request.ts';
import { asRecord, estimateUsage, toFinishReason, toUsage } from './openai-response.ts';
import { chatStreamEvents } from './openai-stream.ts';

export interface OpenAICompatibleChatOptions {
  /** e.g. "https://api.openai.com/v1" or "http://127.0.0.1:11434/v1" (Ollama). */
  baseURL: string;
  /** Sent as `Authorization: Bearer`; local servers usually need none. */
  apiKey?: string;
  model: string;
  /** Extra headers, e.g. `OpenAI-Organization`. */
  headers?: Record<string, string>;
  /** Overrides the list price (src/providers/pricing.ts); unknown models cost 0. */
  price?: ModelPrice;
  /** Whole-call limit for generate; longest silence between chunks for stream. Default 120 s. */
  timeoutMs?: number;
  /** Longest wait for a new connection (DNS, TCP, TLS handshakes); fails retryable (`upstream_timeout`). Default 5 s. */
  connectTimeoutMs?: number;
  /** Name in responses and errors; guessed from the base URL when not given. */
  providerName?: string;
  /** OpenAI's reasoning models want `max_completion_tokens`; most servers know `max_tokens` (default). */
  maxTokensField?: MaxTokensField;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** A ChatModel for any server speaking OpenAI's chat completions API. */
export function createOpenAICompatibleChat(options: OpenAICompatibleChatOptions): ChatModel {
  const baseURL = trimBaseURL(options.baseURL);
  const provider = options.providerName ?? providerNameFor(baseURL);
  const endpoint: ProviderEndpoint = { provider, baseURL, apiKey: options.apiKey };
  const headers = { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers };
  const maxTokensField = options.maxTokensField ?? 'max_tokens';

  const open = (request: ChatRequest, model: string, stream: boolean) =>
    postJson({
      endpoint,
      model,
      url: `${baseURL}/chat/completions`,
      headers,
      body: chatCompletionRequestBody(request, model, stream, maxTokensField),
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
      const body = asRecord(await readJsonBody(await open(request, model, false))) ?? {};
      const choices = Array.isArray(body['choices']) ? body['choices'] : [];
      const choice = asRecord(choices[0]);
      if (!choice) {
        throw new PlumbError('upstream_error', `${provider} answered without any choices: ${JSON.stringify(body).slice(0, 200)}`, {
          hint: `Check that ${baseURL} serves an OpenAI-compatible /chat/completions endpoint.`,
          details: { provider },
        });
      }
      const message = asRecord(choice['message']) ?? {};
      const text = typeof message['content'] === 'string' ? message['content'] : '';
      const toolCalls = readToolCalls(message['tool_calls']);
      const usage =
        toUsage(body['usage']) ?? estimateUsage(request.messages, text + toolCalls.map((call) => call.name + call.arguments).join(''));
      return {
        text,
        toolCalls,
        finishReason: toFinishReason(choice['finish_reason']),
        usage,
        cost: costOf(usage, resolvePrice(model, options.price)),
        model: typeof body['model'] === 'string' && body['model'] !== '' ? body['model'] : model,
        provider,
      };
    },

    async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
      const model = request.model ?? options.model;
      const response = await open(request, model, true);
      yield* chatStreamEvents(response, { provider, requestedModel: model, messages: request.messages, price: resolvePrice(model, options.price) });
    },
  };
}

function readToolCalls(raw: unknown): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item): ToolCall[] => {
    const call = asRecord(item);
    const fn = asRecord(call?.['function']);
    if (!call || !fn || typeof fn['name'] !== 'string') return [];
    return [{ id: typeof call['id'] === 'string' ? call['id'] : '', name: fn['name'], arguments: typeof fn['arguments'] === 'string' ? fn['arguments'] : '' }];
  });
}

/** A readable provider name from well-known hosts, so traces say "ollama" rather than a URL. */
export function providerNameFor(baseURL: string): string {
  let host: string;
  try {
    host = new URL(baseURL).host;
  } catch {
    throw new PlumbError('invalid_config', `"${baseURL}" is not a valid base URL.`, {
      hint: 'Use a full URL such as https://api.openai.com/v1 or http://127.0.0.1:11434/v1.',
    });
  }
  if (host === 'api.openai.com') return 'openai';
  if (host === 'api.groq.com') return 'groq';
  if (host.endsWith(':11434')) return 'ollama';
  return 'openai-compatible';
}
