/** Semantic similarity of the answer to the reference: rescaled SIF cosine, the best over references. */
import type { EmbeddingModel } from '../../core/model.ts';
import { scored, undetermined, type Score } from '../../core/score.ts';
import { stripCitationMarkers } from '../../rag/answer/citations.ts';
import { SIF_UNRELATED_COSINE, textSimilarity, type Similarity } from './sif-similarity.ts';

export const SEMANTIC_SIMILARITY = 'semantic_similarity';

/**
 * Rescaled SIF cosine between the answer and its closest reference: 0 = as alike as unrelated
 * sentences, 1 = the same meaning (see sif-similarity.ts); undetermined without a reference.
 */
export async function semanticSimilarity(answer: string, references: string | readonly string[], embedder?: EmbeddingModel): Promise<Score> {
  const refs = (typeof references === 'string' ? [references] : references).filter((r) => r.trim() !== '');
  if (refs.length === 0) return undetermined(SEMANTIC_SIMILARITY, 'the case has no reference answer to compare with', { method: 'heuristic' });
  const text = stripCitationMarkers(answer);
  if (text.trim() === '') return undetermined(SEMANTIC_SIMILARITY, 'the answer is empty', { method: 'heuristic' });

  let best: { similarity: Similarity; reference: string } | null = null;
  for (const reference of refs) {
    const similarity = await textSimilarity(text, reference, embedder);
    if (similarity && (!best || similarity.cosine > best.similarity.cosine)) best = { similarity, reference };
  }
  if (!best) {
    return undetermined(SEMANTIC_SIMILARITY, 'the embedder knows no word of the answer or of the reference (numbers or code only?); compare with exact_match or token_f1', { method: 'heuristic' });
  }
  const { cosine, rescaled } = best.similarity;
  return scored(SEMANTIC_SIMILARITY, rescaled, `SIF cosine ${cosine.toFixed(3)} with the reference, rescaled against the unrelated-pair baseline ${SIF_UNRELATED_COSINE}`, {
    method: 'heuristic',
    evidence: { cosine, baseline: SIF_UNRELATED_COSINE, reference: best.reference },
  });
}
