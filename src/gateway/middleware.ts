/**
 * The gateway is a ChatModel that wraps ChatModels. Each concern (cache, limits and budgets,
 * ledger, resilience, fallback, routing) is a middleware: a function from the model it wraps to
 * a model, so they compose in any order and everything that takes a ChatModel gets them for free.
 */
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent } from '../core/model.ts';

/** Wraps a model. */
export type ChatMiddleware = (next: ChatModel) => ChatModel;

/** Applies middleware so that the first one listed is the outermost (sees the request first). */
export function composeChat(model: ChatModel, ...middleware: ChatMiddleware[]): ChatModel {
  return middleware.reduceRight<ChatModel>((inner, wrap) => wrap(inner), model);
}

/** A ChatModel that delegates to `inner`, overriding only what is given. */
export function wrapChat(
  inner: ChatModel,
  overrides: {
    generate?: (request: ChatRequest) => Promise<ChatResponse>;
    stream?: (request: ChatRequest) => AsyncIterable<ChatStreamEvent>;
    provider?: string;
    modelId?: string;
  },
): ChatModel {
  return {
    specificationVersion: 'v1',
    provider: overrides.provider ?? inner.provider,
    modelId: overrides.modelId ?? inner.modelId,
    generate: overrides.generate ?? ((request) => inner.generate(request)),
    stream: overrides.stream ?? ((request) => inner.stream(request)),
  };
}
