/**
 * Context recall by labels: the share of the case's relevant chunks, relevant documents or gold
 * passages that the retrieved contexts hold. (Ragas' context recall instead splits the reference
 * answer into claims and asks an LLM whether the contexts support each; with labelled ids or gold
 * passages this one is exact, or a documented text match.)
 */
import { scored, undetermined, type Score } from '../../core/score.ts';
import type { EvalContext, GoldenCase } from '../types.ts';
import { describeLabels, NO_LABELS_REASON, relevanceLabelsOf } from './context-labels.ts';
import { GOLD_PASSAGE_MATCH_THRESHOLD, passageCoverage, preparePassage } from './passage-match.ts';

export const CONTEXT_RECALL = 'context_recall';

/** Share of the case's relevant items (chunks, documents or gold passages) found in the contexts; undetermined without labels. */
export function contextRecall(contexts: readonly EvalContext[], goldenCase: GoldenCase): Score {
  const labels = relevanceLabelsOf(goldenCase);
  if (!labels) return undetermined(CONTEXT_RECALL, NO_LABELS_REASON, { method: 'exact' });

  let wanted: string[];
  let found: string[];
  if (labels.kind === 'passage') {
    const prepared = contexts.map((c) => preparePassage(c.text));
    wanted = labels.passages.map((p) => p.text);
    found = labels.passages.filter((p) => prepared.some((c) => passageCoverage(p, c) >= GOLD_PASSAGE_MATCH_THRESHOLD)).map((p) => p.text);
  } else {
    const retrieved = new Set(contexts.map((c) => (labels.kind === 'chunk' ? c.chunkId : c.documentId)));
    wanted = [...labels.ids];
    found = wanted.filter((id) => retrieved.has(id));
  }
  const value = found.length / wanted.length;
  const missing = wanted.filter((w) => !found.includes(w));
  return scored(CONTEXT_RECALL, value, `the ${contexts.length} contexts hold ${found.length} of ${describeLabels(labels)}`, {
    method: labels.kind === 'passage' ? 'heuristic' : 'exact',
    evidence: { labels: labels.kind, found, missing },
  });
}
