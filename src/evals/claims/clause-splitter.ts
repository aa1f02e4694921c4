/**
 * Splits one answer sentence into atomic clauses where that is safe: at semicolons, and at a
 * comma + coordinator ("…, and the budget was…") when what follows reads as an independent clause
 * (a subject, then a verb within a few words). "Bread, butter and jam" and "cheap and fast" stay
 * whole: a wrong split makes claims a judge cannot check.
 */
import { contentTerms } from '../../text/content-terms.ts';

/** A piece of a sentence, with offsets relative to the sentence. */
export interface ClausePiece {
  start: number;
  end: number;
}

const COORDINATED = /,\s+(?:and|but|while|whereas|yet|so)\s+/gi;
const SUBJECT_START = /^(?:he|she|it|they|we|i|you|this|that|these|those|there|the|a|an|his|her|its|their|our|my|\p{Lu}|\d)/u;
// Auxiliaries and common finite verbs: a cheap stand-in for a parser's "has a verb".
const FINITE_VERB = /^(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do|may|might|must|shall|should|remains?|became|becomes|made|makes|said|says|won|lost|took|takes|got|gets|went|goes|came|comes|saw|sees|found|finds|left|leaves|gave|gives|began|begins|grew|grows|rose|fell)$/i;

/** Clause pieces of `sentence` (offsets into it), at least the whole sentence. */
export function splitClauses(sentence: string): ClausePiece[] {
  const cuts: Array<{ at: number; resume: number }> = [];
  for (let i = sentence.indexOf(';'); i !== -1; i = sentence.indexOf(';', i + 1)) {
    if (hasContent(sentence.slice(0, i)) && hasContent(sentence.slice(i + 1))) cuts.push({ at: i, resume: i + 1 });
  }
  for (const match of sentence.matchAll(COORDINATED)) {
    const at = match.index;
    const resume = at + match[0].length;
    if (wordCount(sentence.slice(0, at)) >= 3 && startsIndependentClause(sentence.slice(resume))) cuts.push({ at, resume });
  }
  cuts.sort((a, b) => a.at - b.at);

  const pieces: ClausePiece[] = [];
  let start = 0;
  for (const cut of cuts) {
    if (cut.at < start) continue;
    pushTrimmed(sentence, start, cut.at, pieces);
    start = cut.resume;
  }
  pushTrimmed(sentence, start, sentence.length, pieces);
  return pieces;
}

function startsIndependentClause(rest: string): boolean {
  if (!SUBJECT_START.test(rest)) return false;
  const words = rest.split(/\s+/).slice(0, 7);
  if (words.length < 3) return false;
  // A verb after the first word (the subject): "the budget was", "it grossed", "critics praised".
  return words.slice(1).some((w) => {
    const bare = w.replace(/[^\p{L}]/gu, '');
    return FINITE_VERB.test(bare) || (/ed$/.test(bare) && bare.length > 4);
  });
}

function hasContent(text: string): boolean {
  return contentTerms(text).length >= 2;
}

function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

function pushTrimmed(text: string, start: number, end: number, out: ClausePiece[]): void {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /[\s,;]/.test(text[end - 1] ?? '')) end--;
  if (end > start) out.push({ start, end });
}
