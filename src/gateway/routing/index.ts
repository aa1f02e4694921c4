/** Routing: rules and a complexity router that pick a target model per request. */
export { createRouter, estimateInputTokens, tagsRoutedOn, DEFAULT_ROUTING_THRESHOLD, type RouteCondition, type RouteDecision, type RouteRule, type RouterModel, type RouterOptions } from './router.ts';
export {
  assessComplexity,
  questionOf,
  questionParts,
  questionTypeOf,
  retrievalDifficulty,
  DEFAULT_COMPLEXITY_WEIGHTS,
  type ComplexityAssessment,
  type ComplexityFeature,
  type ComplexityWeights,
  type QuestionType,
} from './complexity.ts';
export { routingConfigSchema, routeRuleSchema, routeConditionSchema, routerOptionsFromConfig, type RoutingConfig } from './routing-config-schema.ts';
