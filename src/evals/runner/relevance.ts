/**
 * What "relevant" means for one golden case, as a ranked list of ids plus judgements that the
 * ranked-retrieval metrics understand. Three kinds of labels, in order of preference:
 *   - relevantChunkIds: the retrieved chunk ids are ranked as they are;
 *   - relevantDocumentIds: chunks become their documents (a document ranks where its best chunk does);
 *   - goldPassages (text): a chunk "finds" a gold passage by the same text match context precision
 *     and recall use (metrics/passage-match.ts: contained, or half its word bigrams present).
 * Gold passages make a golden set portable: ids of a re-ingested corpus change (the demo corpus's
 * document ids hash absolute paths), the text does not.
 */
import { GOLD_PASSAGE_MATCH_THRESHOLD, passageCoverage, preparePassage } from '../metrics/passage-match.ts';
import type { EvalContext, GoldenCase } from '../types.ts';

export interface RelevanceView {
  /** How the case's relevance was labelled. */
  basis: 'chunk' | 'document' | 'passage';
  /** The ranking in units the judgements name. */
  ranked: string[];
  judgements: Map<string, number>;
}

/** The ranked units and judgements for a case, or null when it has no relevance labels. */
export function relevanceView(golden: GoldenCase, contexts: readonly EvalContext[]): RelevanceView | null {
  if (golden.relevantChunkIds && golden.relevantChunkIds.length > 0) {
    return { basis: 'chunk', ranked: contexts.map((c) => c.chunkId), judgements: new Map(golden.relevantChunkIds.map((id) => [id, 1])) };
  }
  const docs = golden.relevantDocumentIds;
  if (docs && Object.values(docs).some((g) => g > 0)) {
    const ranked: string[] = [];
    for (const c of contexts) if (!ranked.includes(c.documentId)) ranked.push(c.documentId);
    return { basis: 'document', ranked, judgements: new Map(Object.entries(docs)) };
  }
  const gold = (golden.goldPassages ?? []).map(preparePassage).filter((p) => p.normalized !== '');
  if (gold.length > 0) {
    const ranked: string[] = [];
    const found = new Set<number>();
    for (const c of contexts) {
      const text = preparePassage(c.text);
      // A chunk that holds a not-yet-found gold passage stands for it; otherwise it is a miss
      // (its own id), so a chunk repeating a found passage does not earn its gain twice.
      const hit = gold.findIndex((p, i) => !found.has(i) && passageCoverage(p, text) >= GOLD_PASSAGE_MATCH_THRESHOLD);
      if (hit >= 0) {
        found.add(hit);
        ranked.push(`gold:${hit}`);
      } else ranked.push(`chunk:${c.chunkId}`);
    }
    return { basis: 'passage', ranked, judgements: new Map(gold.map((_, i) => [`gold:${i}`, 1])) };
  }
  return null;
}
