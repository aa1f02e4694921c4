/**
 * Which contexts are relevant to a case, from the most specific labels it has: chunk ids, then
 * document ids (grade > 0), then gold passages by text (passage-match.ts). Ids are exact; text
 * matching is a heuristic, and the scores say which one was used.
 */
import type { EvalContext, GoldenCase } from '../types.ts';
import { GOLD_PASSAGE_MATCH_THRESHOLD, passageCoverage, preparePassage, type PreparedPassage } from './passage-match.ts';

export type RelevanceLabels =
  | { kind: 'chunk'; ids: Set<string> }
  | { kind: 'document'; ids: Set<string> }
  | { kind: 'passage'; passages: PreparedPassage[] };

/** The relevance labels of a case, or null when it has none. */
export function relevanceLabelsOf(goldenCase: GoldenCase): RelevanceLabels | null {
  const chunkIds = (goldenCase.relevantChunkIds ?? []).filter((id) => id !== '');
  if (chunkIds.length > 0) return { kind: 'chunk', ids: new Set(chunkIds) };
  const documentIds = Object.entries(goldenCase.relevantDocumentIds ?? {}).filter(([, grade]) => grade > 0).map(([id]) => id);
  if (documentIds.length > 0) return { kind: 'document', ids: new Set(documentIds) };
  const passages = (goldenCase.goldPassages ?? []).map(preparePassage).filter((p) => p.normalized !== '');
  if (passages.length > 0) return { kind: 'passage', passages };
  return null;
}

/** Whether one context is relevant under the labels (for passages: holds any gold passage). */
export function isRelevantContext(context: EvalContext, labels: RelevanceLabels, prepared?: PreparedPassage): boolean {
  switch (labels.kind) {
    case 'chunk':
      return labels.ids.has(context.chunkId);
    case 'document':
      return labels.ids.has(context.documentId);
    case 'passage': {
      const text = prepared ?? preparePassage(context.text);
      return labels.passages.some((p) => passageCoverage(p, text) >= GOLD_PASSAGE_MATCH_THRESHOLD);
    }
  }
}

/** How the labels of this kind are described in reasons. */
export function describeLabels(labels: RelevanceLabels): string {
  switch (labels.kind) {
    case 'chunk':
      return `${labels.ids.size} relevant chunk id(s)`;
    case 'document':
      return `${labels.ids.size} relevant document id(s)`;
    case 'passage':
      return `${labels.passages.length} gold passage(s), matched by text (≥ ${GOLD_PASSAGE_MATCH_THRESHOLD} of their bigrams in one context)`;
  }
}

export const NO_LABELS_REASON = 'the case has no relevance labels (relevantChunkIds, relevantDocumentIds with a grade > 0, or goldPassages)';
