/**
 * Rate limits as a ChatMiddleware: per tenant and per provider, requests and tokens per minute.
 * Before the call it reserves 1 request and the worst-case tokens on every applicable bucket at
 * once (or answers 429 with Retry-After); after it, the token buckets settle to the real usage.
 * A failed call keeps its request (the provider counted it) and gives its tokens back.
 *
 * Mount tenant limits outermost and provider limits around each provider's model, so a fallback
 * chain sees one provider's 429 and moves on while the tenant is charged once.
 */
import type { ChatModel, ChatRequest, ChatResponse, ResponseMetadata } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { Tokenizer } from '../../core/tokenizer.ts';
import type { Usage } from '../../core/usage.ts';
import { wrapChat } from '../middleware.ts';
import type { ChatMiddleware } from '../middleware.ts';
import type { CounterStore } from './counter-store.ts';
import type { RateLimit } from './limits-config-schema.ts';
import { meteredStream } from './metered-stream.ts';
import { rateLimitChecks, rateLimitError } from './rate-limits.ts';
import type { LabelledCheck } from './rate-limits.ts';
import { estimateInputTokens } from './request-estimate.ts';
import { Reservation } from './reservation.ts';

export interface RateLimitMiddlewareOptions {
  counters: CounterStore;
  /** Per tenant id; "*" for every tenant without its own entry. */
  tenants?: Record<string, RateLimit>;
  /** Per provider name (the wrapped model's `provider`). */
  providers?: Record<string, RateLimit>;
  /** Tenant of requests without `tenantId`. */
  defaultTenant: string;
  /** Output tokens assumed for tpm when a request sets no maxOutputTokens. Default 1024. */
  defaultMaxOutputTokens?: number;
  now?: () => number;
  tokenizer?: Tokenizer;
  /** Called when settling fails (e.g. Redis went away after the call); the reservation stands. */
  onSettleError?: (error: unknown) => void;
}

/** A middleware enforcing rpm/tpm limits per tenant and per provider. */
export function createRateLimitMiddleware(options: RateLimitMiddlewareOptions): ChatMiddleware {
  const now = options.now ?? Date.now;
  const tokenizer = options.tokenizer ?? getTokenizer();
  const defaultMaxOutput = options.defaultMaxOutputTokens ?? 1024;

  return (next: ChatModel): ChatModel => {
    /** Reserves, or throws the 429; undefined when no limit applies. */
    const reserve = async (request: ChatRequest) => {
      const tenant = request.tenantId ?? options.defaultTenant;
      const inputTokens = estimateInputTokens(request, tokenizer);
      const tokens = inputTokens + (request.maxOutputTokens ?? defaultMaxOutput);
      const labelled = [
        ...rateLimitChecks('tenant', tenant, options.tenants?.[tenant] ?? options.tenants?.['*'], tokens),
        ...rateLimitChecks('provider', next.provider, options.providers?.[next.provider], tokens),
      ];
      if (labelled.length === 0) return undefined;
      const { outcome, reservation } = await Reservation.take(options.counters, labelled.map((l) => l.check), now());
      if (!reservation) throw rateLimitError(labelled, outcome);
      return { reservation, labelled, inputTokens };
    };

    /** Settles with `usage` (undefined: the call failed before using anything). */
    const settle = async (held: { reservation: Reservation; labelled: LabelledCheck[] }, usage: Usage | undefined): Promise<ResponseMetadata> => {
      const tokens = usage ? usage.inputTokens + usage.outputTokens : 0;
      try {
        const left = await held.reservation.settle(held.labelled.map((l) => (l.unit === 'rpm' ? 1 : tokens)), now());
        return left ? limitMetadata(held.labelled, left) : {};
      } catch (err) {
        options.onSettleError?.(err);
        return {};
      }
    };

    return wrapChat(next, {
      async generate(request: ChatRequest): Promise<ChatResponse> {
        const held = await reserve(request);
        if (!held) return next.generate(request);
        let response: ChatResponse;
        try {
          response = await next.generate(request);
        } catch (err) {
          await settle(held, undefined);
          throw err;
        }
        const metadata = await settle(held, response.usage);
        return { ...response, metadata: { ...response.metadata, ...metadata } };
      },

      async *stream(request: ChatRequest) {
        const held = await reserve(request);
        if (!held) {
          yield* next.stream(request);
          return;
        }
        yield* meteredStream(
          next.stream(request),
          { finish: (event) => settle(held, event.usage), cut: async (partial) => void (await settle(held, partial)) },
          held.inputTokens,
          tokenizer,
        );
      },
    });
  };
}

/** The smallest room left per unit (whole requests/tokens), e.g. { rateLimitRemainingRequests: 12 }. */
function limitMetadata(labelled: readonly LabelledCheck[], left: readonly number[]): ResponseMetadata {
  const metadata: ResponseMetadata = {};
  labelled.forEach((l, i) => {
    const field = l.unit === 'rpm' ? 'rateLimitRemainingRequests' : 'rateLimitRemainingTokens';
    const value = Math.max(0, Math.floor(left[i] ?? 0));
    const current = metadata[field];
    metadata[field] = typeof current === 'number' ? Math.min(current, value) : value;
  });
  return metadata;
}
