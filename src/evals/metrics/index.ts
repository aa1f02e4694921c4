/** Answer metrics: correctness against a reference, relevance, context precision and recall, abstention. */
export { ABSTENTION, abstention, didAbstain, summarizeAbstention, type AbstentionSummary } from './abstention.ts';
export { answerTokens, normalizeAnswer, referencesOf } from './answer-normalization.ts';
export { ANSWER_RELEVANCE, answerRelevance } from './answer-relevance.ts';
export { answerMetrics, applicableAnswerMetrics, scoreAnswerMetrics, type AnswerMetric, type AnswerMetricDeps } from './answer-metrics.ts';
export { relevanceLabelsOf, type RelevanceLabels } from './context-labels.ts';
export { CONTEXT_PRECISION, contextPrecision } from './context-precision.ts';
export { CONTEXT_RECALL, contextRecall } from './context-recall.ts';
export { EXACT_MATCH, exactMatch } from './exact-match.ts';
export { GOLD_PASSAGE_MATCH_THRESHOLD, passageCoverage, preparePassage, type PreparedPassage } from './passage-match.ts';
export { SEMANTIC_SIMILARITY, semanticSimilarity } from './semantic-similarity.ts';
export { cosineOf, defaultMetricEmbedder, rescaleCosine, SIF_UNRELATED_COSINE, textSimilarity, type Similarity } from './sif-similarity.ts';
export { TOKEN_F1, tokenF1, tokenOverlap, type TokenOverlap } from './token-f1.ts';
// Written alongside these: claim-level faithfulness and citation accuracy (they need a SupportJudge).
export { diagnose, faithfulness } from './faithfulness.ts';
export { citationAccuracy, type SentenceCitations } from './citation-accuracy.ts';
