/**
 * Sentences of an answer that state nothing checkable: questions, headings, abstentions
 * ("I could not find…"), preambles ("Here is a summary:") and hedges or pleasantries with no
 * content. Judging them would count "I hope this helps" as an unsupported claim.
 */
import { isAbstention } from '../../rag/answer/abstention.ts';
import { contentTerms } from '../../text/content-terms.ts';
import type { SentenceKind } from '../../text/sentences.ts';

export type NonClaimReason = 'heading' | 'code' | 'question' | 'abstention' | 'preamble' | 'no-content';

// Stems of words that hedge or pad without stating anything ("it may depend", "I hope this helps").
const HEDGE_STEMS = new Set([
  'perhap', 'possibl', 'mayb', 'like', 'seem', 'appear', 'think', 'believ', 'hope', 'help', 'unclear',
  'sure', 'note', 'depend', 'certain', 'probabl', 'ye', 'okai', 'ok', 'thank', 'happi', 'feel', 'free',
  'question', 'ask', 'answer', 'summari', 'summar', 'follow', 'inform',
]);
const PREAMBLE = /^(?:here(?:'s| is| are)|below (?:is|are)|sure[,!]|certainly[,!]|of course[,!])/i;
const PLEASANTRY = /^(?:i hope this helps|let me know|feel free|hope this helps|happy to help)/i;

/** Why a sentence is not a claim, or null when it is one. */
export function nonClaimReason(text: string, kind: SentenceKind = 'prose'): NonClaimReason | null {
  if (kind === 'heading') return 'heading';
  if (kind === 'code') return 'code';
  const trimmed = text.trim().replace(/[’]/g, "'");
  if (trimmed.endsWith('?')) return 'question';
  if (isAbstention(trimmed)) return 'abstention';
  // "Here is a summary of the passage:" introduces claims; it is not one.
  if (trimmed.endsWith(':') || (PREAMBLE.test(trimmed) && trimmed.length < 120 && /\b(?:summary|overview|answer|points?)\b/i.test(trimmed))) return 'preamble';
  if (PLEASANTRY.test(trimmed)) return 'no-content';
  const terms = contentTerms(trimmed);
  if (terms.length === 0 || terms.every((t) => HEDGE_STEMS.has(t))) return 'no-content';
  return null;
}
