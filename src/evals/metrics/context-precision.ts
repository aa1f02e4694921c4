/**
 * Context precision as Ragas defines it: the rank-weighted average precision of the retrieved
 * contexts, Σₖ (precision@k · relₖ) / (relevant contexts in the top K). It is 1 when every relevant
 * context ranks above every irrelevant one, and falls as irrelevant contexts rank higher. Note the
 * denominator counts relevant contexts *retrieved*, not all relevant ones (that is recall's job).
 * The plain share of relevant contexts is kept in the evidence.
 */
import { scored, undetermined, type Score } from '../../core/score.ts';
import type { EvalContext, GoldenCase } from '../types.ts';
import { describeLabels, isRelevantContext, NO_LABELS_REASON, relevanceLabelsOf } from './context-labels.ts';

export const CONTEXT_PRECISION = 'context_precision';

/** Ragas context precision (rank-weighted) of the retrieved contexts, in rank order; undetermined without labels or contexts. */
export function contextPrecision(contexts: readonly EvalContext[], goldenCase: GoldenCase): Score {
  const labels = relevanceLabelsOf(goldenCase);
  if (!labels) return undetermined(CONTEXT_PRECISION, NO_LABELS_REASON, { method: 'exact' });
  const method = labels.kind === 'passage' ? 'heuristic' : 'exact';
  if (contexts.length === 0) return undetermined(CONTEXT_PRECISION, 'no contexts were retrieved, so there is nothing to be precise about (context_recall is 0)', { method });

  const relevant = contexts.map((c) => isRelevantContext(c, labels));
  let hits = 0;
  let weighted = 0;
  relevant.forEach((isRelevant, i) => {
    if (!isRelevant) return;
    hits += 1;
    weighted += hits / (i + 1);
  });
  const value = hits === 0 ? 0 : weighted / hits;
  const share = hits / contexts.length;
  return scored(CONTEXT_PRECISION, value, `${hits} of ${contexts.length} contexts are relevant (by ${describeLabels(labels)}); rank-weighted average precision ${value.toFixed(3)}`, {
    method,
    evidence: {
      labels: labels.kind,
      shareRelevant: share,
      contexts: contexts.map((c, i) => ({ rank: i + 1, chunkId: c.chunkId, documentId: c.documentId, relevant: relevant[i] ?? false })),
    },
  });
}
