/**
 * Keeps only LLM-generated items a golden set can trust: the answer must be in (or, word for word
 * after stemming, supported by) the chunk, the question must not contain the answer, and the
 * evidence must be found in the chunk — else the chunk's sentence holding the answer is used.
 */
import { splitSentences } from '../../text/sentences.ts';
import { contentTerms } from '../../text/content-terms.ts';
import { normalizeAnswer } from '../metrics/answer-normalization.ts';
import { GOLD_PASSAGE_MATCH_THRESHOLD, passageCoverage, preparePassage } from '../metrics/passage-match.ts';
import type { GeneratedItem } from './llm-generation-reply.ts';

/** Share of an answer's content terms the chunk must hold when the answer is not in it verbatim. */
export const ANSWER_SUPPORT_THRESHOLD = 0.8;

export type ItemVerdict =
  | { ok: true; goldPassage: string }
  | { ok: false; reason: 'answer_not_in_chunk' | 'answer_in_question' | 'evidence_not_in_chunk' };

/** Whether an item is usable, and the gold passage to keep with it. */
export function checkItem(item: GeneratedItem, chunk: string): ItemVerdict {
  const answer = normalizeAnswer(item.answer);
  const chunkText = ` ${normalizeAnswer(chunk)} `;
  if (answer === '' || (!chunkText.includes(` ${answer} `) && termSupport(item.answer, chunk) < ANSWER_SUPPORT_THRESHOLD)) {
    return { ok: false, reason: 'answer_not_in_chunk' };
  }
  if (` ${normalizeAnswer(item.question)} `.includes(` ${answer} `)) return { ok: false, reason: 'answer_in_question' };

  if (passageCoverage(preparePassage(item.evidence), preparePassage(chunk)) >= GOLD_PASSAGE_MATCH_THRESHOLD) return { ok: true, goldPassage: item.evidence };
  const holding = splitSentences(chunk).find((s) => ` ${normalizeAnswer(s.text)} `.includes(` ${answer} `));
  return holding ? { ok: true, goldPassage: holding.text } : { ok: false, reason: 'evidence_not_in_chunk' };
}

function termSupport(answer: string, chunk: string): number {
  const terms = new Set(contentTerms(answer));
  if (terms.size === 0) return 0;
  const chunkTerms = new Set(contentTerms(chunk));
  let held = 0;
  for (const t of terms) if (chunkTerms.has(t)) held += 1;
  return held / terms.size;
}
