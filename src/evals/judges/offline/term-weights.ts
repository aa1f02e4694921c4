/**
 * IDF weights over the sentences being judged against, so a claim's rare words ("Poseidon",
 * "181,674,817") count for more than words every sentence shares ("film", "said"). Words no
 * sentence contains get the highest weight: an unsupported rare word is the strongest signal.
 */

export interface TermWeights {
  weight(term: string): number;
}

/** IDF over `documents` (each a set of stemmed content terms). */
export function idfWeights(documents: ReadonlyArray<ReadonlySet<string>>): TermWeights {
  const df = new Map<string, number>();
  for (const doc of documents) for (const t of doc) df.set(t, (df.get(t) ?? 0) + 1);
  const n = documents.length;
  // Smoothed so a term in every sentence still weighs something, and one in none weighs most.
  return { weight: (term) => Math.log(1 + (n + 1) / ((df.get(term) ?? 0) + 0.5)) };
}

/** Weighted share of `claimTerms` found in `evidenceTerms`, and the terms not found. */
export function weightedCoverage(claimTerms: ReadonlySet<string>, evidenceTerms: ReadonlySet<string>, weights: TermWeights): { coverage: number; missing: string[] } {
  let total = 0;
  let found = 0;
  const missing: string[] = [];
  for (const t of claimTerms) {
    const w = weights.weight(t);
    total += w;
    if (evidenceTerms.has(t)) found += w;
    else missing.push(t);
  }
  return { coverage: total === 0 ? 0 : found / total, missing };
}
