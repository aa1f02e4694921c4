/**
 * Answer → atomic claims: sentences, split further at semicolons and coordinated independent
 * clauses, non-claims skipped, citation markers removed from the claim text. Spans index into
 * the answer so a report can highlight each claim where it was written.
 */
import { stripCitationMarkers } from '../../rag/answer/citations.ts';
import { splitSentences, type Sentence } from '../../text/sentences.ts';
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
  splitSentences(answer).flatMap(splitAtLineEndColon).forEach((sentence, sentenceIndex) => {
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

// "Here is a summary:⏎The film…" reaches us as one sentence; the part before the colon is a preamble.
function splitAtLineEndColon(sentence: Sentence): Sentence[] {
  const out: Sentence[] = [];
  let from = 0;
  for (const m of sentence.text.matchAll(/:[ \t]*\n\s*/g)) {
    const end = m.index + 1;
    out.push({ ...sentence, text: sentence.text.slice(from, end), start: sentence.start + from, end: sentence.start + end });
    from = m.index + m[0].length;
  }
  if (from === 0) return [sentence];
  out.push({ ...sentence, text: sentence.text.slice(from), start: sentence.start + from });
  return out;
}

/** The atomic claims of an answer. */
export function decomposeClaims(answer: string): Claim[] {
  return decomposeAnswer(answer).claims;
}
