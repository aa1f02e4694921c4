/**
 * The router: a ChatModel that sends each request to one of several target models.
 *
 * 1. Rules, in order, first match wins. A rule's `when` holds conditions that must all hold:
 *    tenant, tag, estimated input tokens (≥ minInputTokens), tools present (or absent), streaming.
 * 2. Otherwise the complexity score (complexity.ts): below `threshold` → `cheap`, else `strong`.
 *
 * The chosen target's name is written to `metadata.route` of the response and of the stream's
 * finish event (the ledger books it as the row's route), with `routeReason` ("rule:<index>" or
 * "complexity") and, for complexity decisions, `complexity` (the score). The caller's `model`
 * (the router's own name) is removed before the target is called, so the target uses its own.
 */
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import { assessComplexity, DEFAULT_COMPLEXITY_WEIGHTS, type ComplexityAssessment, type ComplexityWeights } from './complexity.ts';

export interface RouteCondition {
  /** The request's tenant (`tenantId`, else `defaultTenant`) is one of these. */
  tenant?: string | readonly string[];
  /** The request carries at least one of these tags. */
  tag?: string | readonly string[];
  /** The estimated prompt (messages + tool definitions) has at least this many tokens. */
  minInputTokens?: number;
  /** true: the request defines tools; false: it defines none. */
  tools?: boolean;
  /** true: only streamed calls; false: only non-streamed ones. */
  stream?: boolean;
}

export interface RouteRule {
  when: RouteCondition;
  /** The target's name. */
  use: string;
}

export interface RouterOptions {
  /** The router's model id (what callers put in `model`, e.g. "auto"). Default "router". */
  name?: string;
  /** The targets by name, or a resolver such as the gateway's `models.resolve`. */
  targets: Readonly<Record<string, ChatModel>> | ((name: string) => ChatModel | undefined);
  /** Target for requests scoring below `threshold`. */
  cheap: string;
  /** Target for requests scoring at or above `threshold`. */
  strong: string;
  /** Complexity threshold in [0, 1]. Default DEFAULT_ROUTING_THRESHOLD. */
  threshold?: number;
  rules?: readonly RouteRule[];
  weights?: Partial<ComplexityWeights>;
  /** The tenant of requests without `tenantId`, for tenant rules. Default "default". */
  defaultTenant?: string;
}

export interface RouteDecision {
  /** The chosen target's name. */
  target: string;
  reason: 'rule' | 'complexity';
  /** Index of the matching rule, for reason "rule". */
  rule?: number;
  /** For reason "complexity". */
  complexity?: ComplexityAssessment;
}

export interface RouterModel extends ChatModel {
  /** Which target a request goes to and why, without calling it. `streaming` feeds `when.stream` rules. */
  decide(request: ChatRequest, streaming?: boolean): RouteDecision;
}

/** On COVID-QA it sends 84% of questions (nearly all factoid ones) to cheap; see bench/router/RESULTS.md for the sweep. */
export const DEFAULT_ROUTING_THRESHOLD = 0.35;

const tokenizer = getTokenizer();

/** Tokens of the prompt as the ledger estimates them (3 per message + content), plus tool definitions. */
export function estimateInputTokens(request: ChatRequest): number {
  const messages = request.messages.reduce((sum, m) => sum + 3 + tokenizer.count(m.content), 3);
  return messages + (request.tools && request.tools.length > 0 ? tokenizer.count(JSON.stringify(request.tools)) : 0);
}

const asList = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

/** Every tag some rule matches: the tags that can change where a request goes (the caches key on them). */
export function tagsRoutedOn(rules: readonly RouteRule[]): ReadonlySet<string> {
  return new Set(rules.flatMap((rule) => (rule.when.tag === undefined ? [] : asList(rule.when.tag))));
}

/** Builds the router; throws invalid_config when a target name does not resolve. */
export function createRouter(options: RouterOptions): RouterModel {
  const name = options.name ?? 'router';
  const threshold = options.threshold ?? DEFAULT_ROUTING_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new PlumbError('invalid_config', `routing.threshold must be in [0, 1], got ${threshold}.`);
  const rules = options.rules ?? [];
  const weights: ComplexityWeights = { ...DEFAULT_COMPLEXITY_WEIGHTS, ...definedOnly(options.weights ?? {}) };
  const defaultTenant = options.defaultTenant ?? 'default';
  const lookup = typeof options.targets === 'function' ? options.targets : (n: string) => (options.targets as Record<string, ChatModel>)[n];

  const targets = new Map<string, ChatModel>();
  const names = [options.cheap, options.strong, ...rules.map((r) => r.use)];
  for (const [i, target] of names.entries()) {
    if (targets.has(target)) continue;
    const model = lookup(target);
    const key = i === 0 ? 'cheap' : i === 1 ? 'strong' : `rules[${i - 2}].use`;
    if (!model) throw new PlumbError('invalid_config', `routing.${key} names "${target}", which is no configured model, alias or chain.`, { hint: 'Use a name from gateway.aliases, gateway.fallbacks or "provider/model".' });
    targets.set(target, model);
  }

  const matches = (when: RouteCondition, request: ChatRequest, streaming: boolean, inputTokens: () => number): boolean => {
    if (when.tenant !== undefined && !asList(when.tenant).includes(request.tenantId ?? defaultTenant)) return false;
    if (when.tag !== undefined) {
      const tags = request.tags ?? [];
      if (!asList(when.tag).some((t) => tags.includes(t))) return false;
    }
    if (when.tools !== undefined && when.tools !== (request.tools !== undefined && request.tools.length > 0)) return false;
    if (when.stream !== undefined && when.stream !== streaming) return false;
    if (when.minInputTokens !== undefined && inputTokens() < when.minInputTokens) return false;
    return true;
  };

  const decide = (request: ChatRequest, streaming = false): RouteDecision => {
    let counted: number | undefined;
    const inputTokens = (): number => (counted ??= estimateInputTokens(request));
    for (const [i, rule] of rules.entries()) {
      if (matches(rule.when, request, streaming, inputTokens)) return { target: rule.use, reason: 'rule', rule: i };
    }
    const complexity = assessComplexity(request, weights);
    return { target: complexity.score < threshold ? options.cheap : options.strong, reason: 'complexity', complexity };
  };

  const routeMetadata = (d: RouteDecision): Record<string, string | number> => ({
    route: d.target,
    routeReason: d.reason === 'rule' ? `rule:${d.rule}` : 'complexity',
    ...(d.complexity ? { complexity: d.complexity.score } : {}),
  });
  const forward = (request: ChatRequest): ChatRequest => {
    const copy = { ...request };
    delete copy.model;
    return copy;
  };

  return {
    specificationVersion: 'v1',
    provider: 'router',
    modelId: name,
    decide,
    async generate(request: ChatRequest): Promise<ChatResponse> {
      const decision = decide(request, false);
      const response = await targets.get(decision.target)!.generate(forward(request));
      return { ...response, metadata: { ...response.metadata, ...routeMetadata(decision) } };
    },
    async *stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
      const decision = decide(request, true);
      for await (const event of targets.get(decision.target)!.stream(forward(request))) {
        yield event.type === 'finish' ? { ...event, metadata: { ...event.metadata, ...routeMetadata(decision) } } : event;
      }
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
