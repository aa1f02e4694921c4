/**
 * Every score of one case: retrieval (when the case has relevance labels), the answer metrics that
 * apply, and the judge-based ones (faithfulness with its attribution grid, citation accuracy).
 */
import type { EmbeddingModel } from '../../core/model.ts';
import type { Score } from '../../core/score.ts';
import type { SupportJudge } from '../judges/judge.ts';
import { scoreAnswerMetrics } from '../metrics/answer-metrics.ts';
import type { GoldenCase, SystemOutput } from '../types.ts';
import { judgeScores } from './judge-scores.ts';
import { retrievalScores, type RetrievalCutoffs } from './retrieval-scores.ts';

export interface ScoreCaseDeps {
  judge: SupportJudge | null;
  /** Sentence embedder for similarity metrics; default the offline SIF embedder. */
  embedder?: EmbeddingModel;
  cutoffs?: RetrievalCutoffs;
  /** Answer metrics to compute (those that apply); default all. */
  answerMetrics?: readonly string[];
}

/** All scores for one (case, output) pair. */
export async function scoreCase(golden: GoldenCase, output: SystemOutput, deps: ScoreCaseDeps): Promise<Score[]> {
  // A failed system call has no ranking: retrieval scores would be a fake 0, so they are left out
  // here and the answer metrics report the failure as undetermined.
  const retrieval = output.error === undefined ? retrievalScores(golden, output.contexts, deps.cutoffs) : [];
  const answer = await scoreAnswerMetrics(golden, output, deps.embedder ? { embedder: deps.embedder } : {}, deps.answerMetrics);
  const judged = await judgeScores(output, deps.judge, golden);
  return [...retrieval, ...answer, ...judged];
}
