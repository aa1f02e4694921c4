/**
 * The answer metrics by name, each with the test for whether it applies to a case, so a runner can
 * compute every metric that applies. All take (case, output) and return a Score; metrics that need
 * sentence vectors use `deps.embedder`, or the offline SIF embedder when none is given.
 */
import type { EmbeddingModel } from '../../core/model.ts';
import { undetermined, type Score } from '../../core/score.ts';
import type { GoldenCase, SystemOutput } from '../types.ts';
import { abstention, ABSTENTION } from './abstention.ts';
import { referencesOf } from './answer-normalization.ts';
import { ANSWER_RELEVANCE, answerRelevance } from './answer-relevance.ts';
import { relevanceLabelsOf } from './context-labels.ts';
import { CONTEXT_PRECISION, contextPrecision } from './context-precision.ts';
import { CONTEXT_RECALL, contextRecall } from './context-recall.ts';
import { EXACT_MATCH, exactMatch } from './exact-match.ts';
import { SEMANTIC_SIMILARITY, semanticSimilarity } from './semantic-similarity.ts';
import { TOKEN_F1, tokenF1 } from './token-f1.ts';

export interface AnswerMetricDeps {
  /** Sentence embedder for the similarity-based metrics; default: the offline SIF embedder. */
  embedder?: EmbeddingModel;
}

export interface AnswerMetric {
  name: string;
  method: 'exact' | 'heuristic';
  /** One line for reports and `--help`. */
  description: string;
  /** Whether the case carries what this metric needs (a reference, labels, …). */
  appliesTo(goldenCase: GoldenCase): boolean;
  score(goldenCase: GoldenCase, output: SystemOutput, deps?: AnswerMetricDeps): Promise<Score>;
}

const hasReference = (c: GoldenCase): boolean => referencesOf(c).length > 0;
const hasLabels = (c: GoldenCase): boolean => relevanceLabelsOf(c) !== null;

/** A metric of the answer text: undetermined when the system failed, since an error has no answer to score. */
function answerMetric(metric: Omit<AnswerMetric, 'score'> & { scoreAnswer: AnswerMetric['score'] }): AnswerMetric {
  const { scoreAnswer, ...rest } = metric;
  return {
    ...rest,
    score: async (goldenCase, output, deps) =>
      output.error === undefined
        ? scoreAnswer(goldenCase, output, deps)
        : undetermined(metric.name, `the system failed on this case (${output.error}); there is no answer to score`, { method: metric.method }),
  };
}

/** Every answer metric, by name. */
export const answerMetrics: Readonly<Record<string, AnswerMetric>> = {
  [EXACT_MATCH]: answerMetric({
    name: EXACT_MATCH,
    method: 'exact',
    description: 'the answer equals the reference after SQuAD normalisation',
    appliesTo: hasReference,
    scoreAnswer: async (c, o) => exactMatch(o.answer, referencesOf(c)),
  }),
  [TOKEN_F1]: answerMetric({
    name: TOKEN_F1,
    method: 'exact',
    description: 'SQuAD token F1 of the answer against the reference',
    appliesTo: hasReference,
    scoreAnswer: async (c, o) => tokenF1(o.answer, referencesOf(c)),
  }),
  [SEMANTIC_SIMILARITY]: answerMetric({
    name: SEMANTIC_SIMILARITY,
    method: 'heuristic',
    description: 'SIF cosine of answer and reference, rescaled so unrelated sentences score 0',
    appliesTo: hasReference,
    scoreAnswer: (c, o, deps) => semanticSimilarity(o.answer, referencesOf(c), deps?.embedder),
  }),
  [ANSWER_RELEVANCE]: answerMetric({
    name: ANSWER_RELEVANCE,
    method: 'heuristic',
    description: 'the answer addresses the question (question-term coverage and SIF similarity)',
    appliesTo: (c) => c.unanswerable !== true,
    scoreAnswer: (c, o, deps) => answerRelevance(c.question, o.answer, deps?.embedder),
  }),
  [CONTEXT_PRECISION]: {
    name: CONTEXT_PRECISION,
    method: 'exact',
    description: 'rank-weighted share of retrieved contexts that are relevant (Ragas context precision)',
    appliesTo: hasLabels,
    score: async (c, o) => contextPrecision(o.contexts, c),
  },
  [CONTEXT_RECALL]: {
    name: CONTEXT_RECALL,
    method: 'exact',
    description: 'share of the relevant chunks, documents or gold passages the contexts hold',
    appliesTo: hasLabels,
    score: async (c, o) => contextRecall(o.contexts, c),
  },
  [ABSTENTION]: {
    name: ABSTENTION,
    method: 'exact',
    description: 'abstained exactly when the case is unanswerable',
    appliesTo: () => true,
    score: async (c, o) => abstention(c, o),
  },
};

/** The metrics that apply to a case, optionally restricted to the given names. */
export function applicableAnswerMetrics(goldenCase: GoldenCase, names?: readonly string[]): AnswerMetric[] {
  const chosen = names === undefined ? Object.values(answerMetrics) : names.map((n) => answerMetrics[n]).filter((m): m is AnswerMetric => m !== undefined);
  return chosen.filter((m) => m.appliesTo(goldenCase));
}

/** Scores every answer metric that applies to the case (or those of `names` that apply). */
export async function scoreAnswerMetrics(goldenCase: GoldenCase, output: SystemOutput, deps: AnswerMetricDeps = {}, names?: readonly string[]): Promise<Score[]> {
  const scores: Score[] = [];
  for (const metric of applicableAnswerMetrics(goldenCase, names)) scores.push(await metric.score(goldenCase, output, deps));
  return scores;
}
