/**
 * A ChatModel that tries a chain of models in order and answers with the first that works. It
 * moves on after provider failures (429, 5xx, timeouts, overload, an open breaker, nothing
 * listening) and stops at the caller's own mistakes (400, 401, 403, 404), which another provider
 * would reject too. A stream fails over only before its first event; after it, a failure ends the
 * stream with that error, since a second provider would repeat what the caller already has.
 *
 * The answer says who answered: metadata { provider, model, attempts, fallback }.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatStreamEvent, ResponseMetadata } from '../../core/model.ts';
import { isProviderFailure } from '../resilience/failure-kinds.ts';
import { eventsOf, openStream } from '../resilience/open-stream.ts';

export interface FallbackOptions {
  /** Name of the chain, used as this model's `modelId` and in errors. Default "fallback". */
  name?: string | undefined;
  /** Whether to try the next model after this error; default: provider failures only. */
  shouldFallback?: ((error: unknown) => boolean) | undefined;
  /** Called when a model failed and the next one is tried. */
  onFallback?: ((event: { from: ChatModel; error: unknown; attempt: number }) => void) | undefined;
}

/** A model that tries `chain` in order on provider failures, generate and stream alike. */
export function createFallbackModel(chain: ChatModel[], options: FallbackOptions = {}): ChatModel {
  if (chain.length === 0) throw new PlumbError('invalid_config', 'A fallback chain needs at least one model.', { hint: 'List one or more { provider, model } entries.' });
  const name = options.name ?? 'fallback';
  const shouldFallback = options.shouldFallback ?? isProviderFailure;

  /** Runs `call` on each model in turn until one succeeds or an error must not fall through. */
  const tryInOrder = async <T>(request: ChatRequest, call: (model: ChatModel) => Promise<T>): Promise<{ result: T; model: ChatModel; attempts: number }> => {
    const failures: { model: ChatModel; error: unknown }[] = [];
    for (const [index, model] of chain.entries()) {
      if (request.signal?.aborted) throw request.signal.reason;
      try {
        return { result: await call(model), model, attempts: index + 1 };
      } catch (error) {
        if (!shouldFallback(error) || request.signal?.aborted) throw error;
        failures.push({ model, error });
        if (index < chain.length - 1) options.onFallback?.({ from: model, error, attempt: index + 1 });
      }
    }
    throw exhausted(name, failures);
  };

  return {
    specificationVersion: 'v1',
    provider: chain[0]?.provider ?? 'fallback',
    modelId: name,
    async generate(request) {
      const { result, attempts } = await tryInOrder(request, (model) => model.generate(request));
      return { ...result, metadata: answeredBy(result.metadata, result.provider, result.model, attempts) };
    },
    async *stream(request): AsyncGenerator<ChatStreamEvent> {
      const { result: opened, attempts } = await tryInOrder(request, (model) => openStream(model, request));
      yield* eventsOf(opened, (event) =>
        event.type === 'finish' ? { ...event, metadata: answeredBy(event.metadata, event.provider, event.model, attempts) } : event,
      );
    },
  };
}

function answeredBy(metadata: ResponseMetadata | undefined, provider: string, model: string, attempts: number): ResponseMetadata {
  return { ...metadata, provider, model, attempts, fallback: attempts > 1 };
}

/**
 * Every model failed. The error keeps the last failure's code, unless all were rate limits (then
 * a 429 with the shortest Retry-After any of them gave, so the caller knows when to come back).
 */
export function exhausted(name: string, failures: { model: { provider: string; modelId: string }; error: unknown }[]): PlumbError {
  const errors = failures.map((failure) => failure.error);
  const allRateLimited = errors.every((error) => error instanceof PlumbError && error.code === 'rate_limited');
  const last = errors.at(-1);
  const code: ErrorCode = allRateLimited ? 'rate_limited' : last instanceof PlumbError ? last.code : 'unavailable';
  const waits = errors.flatMap((error) => (error instanceof PlumbError && error.retryAfterSeconds !== undefined ? [error.retryAfterSeconds] : []));
  const summary = failures
    .map(({ model, error }) => `${model.provider}/${model.modelId}: ${error instanceof Error ? error.message : String(error)}`)
    .join('; ');
  return new PlumbError(code, `Every model of "${name}" failed (${failures.length} tried): ${summary}`, {
    hint: 'Check the providers\' health (their breakers and errors above); add another provider to the chain.',
    cause: last,
    details: {
      chain: name,
      attempts: failures.map(({ model, error }) => ({ provider: model.provider, model: model.modelId, code: error instanceof PlumbError ? error.code : 'internal' })),
    },
    ...(waits.length > 0 ? { retryAfterSeconds: Math.min(...waits) } : {}),
  });
}
