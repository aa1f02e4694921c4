/**
 * Answer relevance: does the answer address the question? A heuristic of two signals, averaged:
 * - coverage: the share of the question's content terms (stemmed, function words dropped) that
 *   the answer mentions — answers that address a question usually name what it asks about;
 * - similarity: the rescaled SIF cosine of question and answer (sif-similarity.ts).
 * A terse correct answer ("1998.") scores low on both: read it next to correctness metrics.
 * An abstention does not address the question by design, so it is undetermined here, not 0;
 * the abstention metric judges whether abstaining was right.
 */
import type { EmbeddingModel } from '../../core/model.ts';
import { scored, undetermined, type Score } from '../../core/score.ts';
import { isAbstention } from '../../rag/answer/abstention.ts';
import { stripCitationMarkers } from '../../rag/answer/citations.ts';
import { contentTermSet } from '../../text/content-terms.ts';
import { textSimilarity } from './sif-similarity.ts';

export const ANSWER_RELEVANCE = 'answer_relevance';

/** How well the answer addresses the question (term coverage and SIF similarity, averaged); undetermined for an abstention. */
export async function answerRelevance(question: string, answer: string, embedder?: EmbeddingModel): Promise<Score> {
  const text = stripCitationMarkers(answer);
  if (isAbstention(text)) {
    return undetermined(ANSWER_RELEVANCE, 'the system abstained, so there is no answer to judge for relevance (see the abstention metric)', { method: 'heuristic' });
  }
  const questionTerms = contentTermSet(question);
  const answerTerms = contentTermSet(text);
  const covered = [...questionTerms].filter((t) => answerTerms.has(t));
  const coverage = questionTerms.size === 0 ? null : covered.length / questionTerms.size;
  const similarity = await textSimilarity(question, text, embedder);

  const parts = [coverage, similarity?.rescaled ?? null].filter((x): x is number => x !== null);
  if (parts.length === 0) {
    return undetermined(ANSWER_RELEVANCE, 'the question has no content terms and the embedder knows none of its words', { method: 'heuristic' });
  }
  const value = parts.reduce((a, b) => a + b, 0) / parts.length;
  const coverageText = coverage === null ? 'the question has no content terms' : `the answer mentions ${covered.length} of ${questionTerms.size} question terms`;
  const similarityText = similarity === null ? 'no SIF vector for one side' : `SIF similarity ${similarity.rescaled.toFixed(3)} (cosine ${similarity.cosine.toFixed(3)})`;
  return scored(ANSWER_RELEVANCE, value, `${coverageText}; ${similarityText}`, {
    method: 'heuristic',
    evidence: {
      coverage,
      coveredTerms: covered,
      questionTerms: [...questionTerms],
      similarity: similarity?.rescaled ?? null,
      cosine: similarity?.cosine ?? null,
    },
  });
}
