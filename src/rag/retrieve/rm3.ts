/**
 * RM3 pseudo-relevance feedback (Lavrenko & Croft 2001; the variant Anserini ships): the top
 * documents of a first BM25 pass vote for expansion terms, which are mixed with the original
 * query into a weighted query for a second pass.
 */

export interface Rm3Options {
  /** Documents of the first pass that vote. Default 10. */
  feedbackDocs?: number;
  /** Expansion terms kept. Default 10. */
  feedbackTerms?: number;
  /** Weight of the original query in the mix, 0…1. Default 0.5. */
  originalQueryWeight?: number;
}

export interface FeedbackDocument {
  /** The document's analysed terms (same analyzer as the query). */
  terms: readonly string[];
  /** Its first-pass score: documents vote in proportion to it. */
  score: number;
}

/** Term → weight of the expanded query (weights sum to 1). */
export function expandQueryRm3(queryTerms: readonly string[], feedback: readonly FeedbackDocument[], options: Rm3Options = {}): Map<string, number> {
  const feedbackDocs = options.feedbackDocs ?? 10;
  const feedbackTerms = options.feedbackTerms ?? 10;
  const lambda = options.originalQueryWeight ?? 0.5;

  const original = new Map<string, number>();
  for (const term of queryTerms) original.set(term, (original.get(term) ?? 0) + 1 / queryTerms.length);

  const docs = feedback.slice(0, feedbackDocs).filter((d) => d.terms.length > 0 && d.score > 0);
  const totalScore = docs.reduce((sum, d) => sum + d.score, 0);
  const relevance = new Map<string, number>();
  for (const doc of docs) {
    const docWeight = doc.score / totalScore / doc.terms.length;
    for (const term of doc.terms) relevance.set(term, (relevance.get(term) ?? 0) + docWeight);
  }
  const top = [...relevance].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, feedbackTerms);
  const topMass = top.reduce((sum, [, w]) => sum + w, 0);

  const expanded = new Map<string, number>();
  for (const [term, weight] of original) expanded.set(term, lambda * weight);
  if (topMass > 0) for (const [term, weight] of top) expanded.set(term, (expanded.get(term) ?? 0) + ((1 - lambda) * weight) / topMass);
  // Without feedback the original query keeps all the mass.
  if (topMass === 0) for (const [term, weight] of original) expanded.set(term, weight);
  return expanded;
}
