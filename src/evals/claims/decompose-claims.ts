/**
 * Answer → atomic claims: sentences, split further at semicolons and coordinated independent
 * clauses, non-claims skipped, citation markers removed from the claim text. Spans index into
 * the answer so a report can highlight each claim where it was written.
 */
import { stripCitationMarkers } from '../../rag/answer/citations.ts';
import { splitSentences } from '../../rag/text/sentences.ts';
import type { Claim } from '../judges/judge.ts';
import { splitClauses } from './clause-splitter.ts';
import { nonClaimReason, type NonClaimReason } from './non-claims.ts';

/** A sentence that was not turned into claims, and why. */
export interface SkippedSentence {
  sentenceIndex: number;
  text: string;
  reason: NonClaimReason;
}

export interface Decomposition {
  claims: Claim[];
  skipped: SkippedSentence[];
}

/** The atomic claims of an answer (and the sentences skipped as non-claims). */
export function decomposeAnswer(answer: string): Decomposition {
  const claims: Claim[] = [];
  const skipped: SkippedSentence[] = [];
  splitSentences(answer).forEach((sentence, sentenceIndex) => {
    const reason = nonClaimReason(stripCitationMarkers(sentence.text), sentence.kind);
    if (reason !== null) {
      skipped.push({ sentenceIndex, text: sentence.text, reason });
      return;
    }
    for (const piece of splitClauses(sentence.text)) {
      const start = sentence.start + piece.start;
      const end = sentence.start + piece.end;
      const text = stripCitationMarkers(answer.slice(start, end));
      // A clause can be a non-claim on its own ("…; is that right?").
      if (text === '' || nonClaimReason(text) !== null) continue;
      claims.push({ id: `c${claims.length + 1}`, text, sentenceIndex, span: [start, end] });
    }
  });
  return { claims, skipped };
}

/** The atomic claims of an answer. */
export function decomposeClaims(answer: string): Claim[] {
  return decomposeAnswer(answer).claims;
}
