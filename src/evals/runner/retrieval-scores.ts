/**
 * Per-case retrieval scores: nDCG@10, Recall@K, MRR@10, Precision@K, MAP@10 and hit rate@K, each a
 * Score, computed only when the case carries relevance labels (see relevance.ts); an unanswerable
 * case or one without labels gets no retrieval scores at all rather than a misleading 0.
 */
import { scored, type Score } from '../../core/score.ts';
import { averagePrecisionAtK, hitRateAtK, mrrAtK, ndcgAtK, precisionAtK, recallAtK } from '../retrieval-metrics.ts';
import type { EvalContext, GoldenCase } from '../types.ts';
import { relevanceView } from './relevance.ts';

export interface RetrievalCutoffs {
  /** Cutoff for Recall, Precision and hit rate. Default 5. */
  k?: number;
  /** Cutoff for nDCG, MRR and MAP. Default 10. */
  rankK?: number;
}

/** Retrieval scores for one case; empty when the case has no relevance labels. */
export function retrievalScores(golden: GoldenCase, contexts: readonly EvalContext[], cutoffs: RetrievalCutoffs = {}): Score[] {
  const view = relevanceView(golden, contexts);
  if (!view) return [];
  const k = cutoffs.k ?? 5;
  const rankK = cutoffs.rankK ?? 10;
  const { ranked, judgements } = view;
  const relevantTotal = [...judgements.values()].filter((g) => g > 0).length;
  const foundAtK = ranked.slice(0, k).filter((id) => (judgements.get(id) ?? 0) > 0).length;
  const evidence = { basis: view.basis, ranked: ranked.slice(0, rankK), relevant: [...judgements.keys()] };
  const why = `${foundAtK} of ${relevantTotal} relevant ${view.basis === 'passage' ? 'gold passage(s)' : `${view.basis}(s)`} in the top ${k} of ${ranked.length} retrieved`;
  const exact = { method: 'exact' as const, evidence };
  return [
    scored(`ndcg@${rankK}`, ndcgAtK(ranked, judgements, rankK), why, exact),
    scored(`recall@${k}`, recallAtK(ranked, judgements, k), why, { method: 'exact' }),
    scored(`mrr@${rankK}`, mrrAtK(ranked, judgements, rankK), why, { method: 'exact' }),
    scored(`precision@${k}`, precisionAtK(ranked, judgements, k), why, { method: 'exact' }),
    scored(`map@${rankK}`, averagePrecisionAtK(ranked, judgements, rankK), why, { method: 'exact' }),
    scored(`hit@${k}`, hitRateAtK(ranked, judgements, k), why, { method: 'exact' }),
  ];
}
