/**
 * Per-tenant budgets as a ChatMiddleware, reserve-then-settle: before the call it reserves the
 * request's worst case (estimated input + its output cap, priced) on every budget window at
 * once, in one atomic step — so 50 concurrent requests cannot all see the same room and
 * overshoot a hard budget. After the call it settles to the real usage and cost; a failed call
 * releases everything; a stream settles on its finish event, or on what it streamed if cut.
 */
import type { ChatModel, ChatRequest, ChatResponse, ResponseMetadata } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { Tokenizer } from '../../core/tokenizer.ts';
import { costOf } from '../../core/usage.ts';
import type { Cost, ModelPrice, Usage } from '../../core/usage.ts';
import { resolvePrice } from '../../providers/pricing.ts';
import type { CounterStore } from '../limits/counter-store.ts';
import { meteredStream } from '../limits/metered-stream.ts';
import { worstCaseUsage } from '../limits/request-estimate.ts';
import { Reservation } from '../limits/reservation.ts';
import { wrapChat } from '../middleware.ts';
import type { ChatMiddleware } from '../middleware.ts';
import type { PricedCall } from '../ledger/ledger-cost.ts';
import { budgetChecks, budgetError, budgetMetadata, heldCheck, usdToNanos } from './budget-checks.ts';
import type { BudgetCheck } from './budget-checks.ts';
import type { TenantBudget } from './budget-config-schema.ts';

export interface BudgetMiddlewareOptions {
  counters: CounterStore;
  /** Per tenant id; "*" for every tenant without its own entry. Tenants with neither are not limited. */
  tenants: Record<string, TenantBudget>;
  /** Tenant of requests without `tenantId`. */
  defaultTenant: string;
  /** Output reserved (and, under a hard budget, the cap sent) when a request sets none. Default 4096. */
  defaultMaxOutputTokens?: number;
  /**
   * Price used for the worst case; must match the providers' prices, because settling books the
   * cost the provider reports (what the ledger books). Default: the list price (providers/pricing.ts).
   */
  priceOf?: (modelId: string) => ModelPrice;
  /**
   * The nano-dollars a finished call costs, as the ledger books it (callCostNanoUsd with the
   * ledger's prices), so a budget's spent equals the ledger's total exactly. Default: the cost the
   * provider reported, rounded — which can differ from the ledger's integer pricing by a nano-dollar.
   */
  costNanoOf?: (call: PricedCall) => number;
  now?: () => number;
  tokenizer?: Tokenizer;
  /** Called when a soft budget has been passed (the request went through). */
  onSoftLimit?: (event: { tenantId: string; metadata: ResponseMetadata }) => void;
  /** Called when settling fails (e.g. Redis went away after the call); the worst case stays booked. */
  onSettleError?: (error: unknown) => void;
}

interface Held {
  tenant: string;
  budget: TenantBudget;
  checks: BudgetCheck[];
  reservation: Reservation;
  price: ModelPrice;
  inputTokens: number;
  /** The model asked for: what a cut stream is priced as. */
  model: string;
}

/** A middleware enforcing (hard) or flagging (soft) per-tenant token and USD budgets. */
export function createBudgetMiddleware(options: BudgetMiddlewareOptions): ChatMiddleware {
  const now = options.now ?? Date.now;
  const tokenizer = options.tokenizer ?? getTokenizer();
  const defaultMaxOutput = options.defaultMaxOutputTokens ?? 4096;
  const priceOf = options.priceOf ?? ((modelId: string) => resolvePrice(modelId));

  return (next: ChatModel): ChatModel => {
    /** The request to send (capped under a hard budget) and the reservation; throws the refusal. */
    const reserve = async (request: ChatRequest): Promise<{ forwarded: ChatRequest; held?: Held }> => {
      const tenant = request.tenantId ?? options.defaultTenant;
      const budget = options.tenants[tenant] ?? options.tenants['*'];
      if (!budget) return { forwarded: request };
      const forwarded = budget.mode === 'hard' && request.maxOutputTokens === undefined ? { ...request, maxOutputTokens: defaultMaxOutput } : request;
      const worst = worstCaseUsage(forwarded, defaultMaxOutput, tokenizer);
      const price = priceOf(forwarded.model ?? next.modelId);
      const nowMs = now();
      const checks = budgetChecks(tenant, budget, { tokens: worst.inputTokens + worst.outputTokens, nanos: usdToNanos(costOf(worst, price).usd, true) }, nowMs);
      if (checks.length === 0) return { forwarded };
      // Each window also takes its `held` companion, so the usage endpoint can tell settled from in flight.
      const counters = [...checks.map((c) => c.check), ...checks.map((c) => heldCheck(c.check))];
      const { outcome, reservation } = await Reservation.take(options.counters, counters, nowMs);
      if (!reservation) throw budgetError(tenant, checks, outcome, nowMs);
      return { forwarded, held: { tenant, budget, checks, reservation, price, inputTokens: worst.inputTokens, model: forwarded.model ?? next.modelId } };
    };

    /** Books what was used (nothing: release) and says what is left. */
    const settle = async (held: Held, used: { usage: Usage; cost: Cost; model: string; provider: string } | undefined): Promise<ResponseMetadata> => {
      const tokens = used ? used.usage.inputTokens + used.usage.outputTokens : 0;
      const nanos = !used ? 0 : options.costNanoOf ? options.costNanoOf({ usage: used.usage, model: used.model, provider: used.provider, reportedUsd: used.cost.usd }) : usdToNanos(used.cost.usd);
      try {
        // The held companions settle to 0: the whole reservation goes back.
        const actual = [...held.checks.map((c) => (c.unit === 'tokens' ? tokens : nanos)), ...held.checks.map(() => 0)];
        const settled = await held.reservation.settle(actual, now());
        if (!settled) return {};
        const left = settled.slice(0, held.checks.length);
        const metadata = budgetMetadata(held.checks, left, held.budget.mode);
        if (metadata['budgetExceeded'] === true) options.onSoftLimit?.({ tenantId: held.tenant, metadata });
        return metadata;
      } catch (err) {
        options.onSettleError?.(err);
        return {};
      }
    };

    return wrapChat(next, {
      async generate(request: ChatRequest): Promise<ChatResponse> {
        const { forwarded, held } = await reserve(request);
        if (!held) return next.generate(forwarded);
        let response: ChatResponse;
        try {
          response = await next.generate(forwarded);
        } catch (err) {
          await settle(held, undefined);
          throw err;
        }
        const metadata = await settle(held, response);
        return { ...response, metadata: { ...response.metadata, ...metadata } };
      },

      async *stream(request: ChatRequest) {
        const { forwarded, held } = await reserve(request);
        if (!held) {
          yield* next.stream(forwarded);
          return;
        }
        yield* meteredStream(
          next.stream(forwarded),
          {
            finish: (event) => settle(held, event),
            cut: async (partial) => void (await settle(held, partial && { usage: partial, cost: costOf(partial, held.price), model: held.model, provider: next.provider })),
          },
          held.inputTokens,
          tokenizer,
        );
      },
    });
  };
}
