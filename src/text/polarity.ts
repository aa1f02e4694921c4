/**
 * Polarity checks: a claim that negates what its evidence asserts ("was not released" vs "was
 * released"), or uses the opposite word ("increased" vs "decreased"), says the contrary while
 * sharing almost every content word — so word overlap alone would call it supported.
 */
import { contentTerms } from './content-terms.ts';

const NEGATIONS = new Set([
  'not', 'no', 'never', 'without', 'none', 'nobody', 'nothing', 'neither', 'nor', 'cannot', 'unable',
  'lack', 'lacks', 'lacked', 'lacking', 'fail', 'fails', 'failed', 'absent',
]);

// Each pair: words of one sense, words of the opposite sense. Exact forms, not stems: "lost" sits in two pairs.
const ANTONYM_PAIRS: Array<[string[], string[]]> = [
  [['increase', 'increased', 'increases', 'increasing', 'rise', 'rises', 'rose', 'risen', 'grew', 'grow', 'grows', 'growth', 'gain', 'gained', 'gains'],
    ['decrease', 'decreased', 'decreases', 'decreasing', 'fall', 'falls', 'fell', 'fallen', 'decline', 'declined', 'declines', 'drop', 'dropped', 'drops', 'shrank', 'shrink', 'loss', 'losses']],
  [['higher', 'highest'], ['lower', 'lowest']],
  [['larger', 'largest', 'bigger', 'biggest'], ['smaller', 'smallest']],
  [['best'], ['worst']],
  [['win', 'wins', 'won', 'winning', 'victory'], ['lose', 'loses', 'lost', 'losing', 'defeat', 'defeated']],
  [['before', 'earlier', 'earliest', 'prior'], ['after', 'later', 'latest']],
  [['above'], ['below']],
  [['maximum'], ['minimum']],
  [['majority'], ['minority']],
  [['positive', 'positively'], ['negative', 'negatively']],
  [['accept', 'accepted', 'approve', 'approved', 'approval'], ['reject', 'rejected', 'rejection', 'deny', 'denied', 'refused']],
  [['allow', 'allowed', 'allows', 'permitted', 'legal'], ['ban', 'banned', 'prohibit', 'prohibited', 'forbid', 'forbidden', 'illegal']],
  [['success', 'successful', 'succeeded'], ['failure', 'unsuccessful']],
  [['support', 'supported', 'supports', 'favor', 'favour'], ['oppose', 'opposed', 'opposes', 'against']],
  [['agree', 'agreed', 'agrees'], ['disagree', 'disagreed', 'disagrees']],
  [['alive', 'survived'], ['dead', 'died', 'killed']],
  [['first'], ['last']],
  [['male', 'men', 'man', 'boys', 'boy'], ['female', 'women', 'woman', 'girls', 'girl']],
  [['north', 'northern'], ['south', 'southern']],
  [['east', 'eastern'], ['west', 'western']],
  [['true'], ['false']],
  [['open', 'opened'], ['closed', 'shut']],
  [['include', 'included', 'includes'], ['exclude', 'excluded', 'excludes']],
];

// How many words after a negation it reaches: "was not [directed by Petersen]".
const NEGATION_SCOPE = 4;
const WORD_OR_BREAK = /[\p{L}\p{N}]+(?:['’]t)?|[.,;:!?()]/gu;

/** A text's words for polarity checks: lowercase, with the content stems each negation reaches. */
export interface PolarityWords {
  words: string[];
  /** Content stems within the scope of a negation ("not released" → "releas"). */
  negated: Set<string>;
  /** Content stems outside every negation's scope. */
  asserted: Set<string>;
  negations: string[];
}

/** Lowercase words of a text (contractions like "didn't" kept whole), with negation scopes. */
export function polarityWords(text: string): PolarityWords {
  const words: string[] = [];
  const negated = new Set<string>();
  const asserted = new Set<string>();
  const negations: string[] = [];
  let scope = 0;
  for (const m of text.toLowerCase().matchAll(WORD_OR_BREAK)) {
    const token = m[0];
    if (/^[.,;:!?()]$/.test(token)) {
      scope = 0;
      continue;
    }
    words.push(token);
    if (NEGATIONS.has(token) || /n['’]t$/.test(token)) {
      negations.push(token);
      scope = NEGATION_SCOPE;
      continue;
    }
    for (const stem of contentTerms(token)) (scope > 0 ? negated : asserted).add(stem);
    if (scope > 0) scope--;
  }
  return { words, negated, asserted, negations };
}

/** Why claim and evidence disagree in polarity (a negated fact or opposite words), or null. */
export function polarityConflict(claim: PolarityWords, evidence: PolarityWords): string | null {
  // Local, not global: a negation elsewhere in a long evidence window says nothing about this claim.
  for (const stem of claim.negated) {
    if (evidence.asserted.has(stem) && !evidence.negated.has(stem)) return `claim negates ("${claim.negations.join('", "')}") what the evidence asserts ("${stem}")`;
  }
  for (const stem of evidence.negated) {
    if (claim.asserted.has(stem) && !claim.negated.has(stem) && !evidence.asserted.has(stem)) return `evidence negates ("${evidence.negations.join('", "')}") what the claim asserts ("${stem}")`;
  }
  const claimSet = new Set(claim.words);
  const evidenceSet = new Set(evidence.words);
  for (const [a, b] of ANTONYM_PAIRS) {
    for (const [mine, theirs] of [[a, b], [b, a]] as const) {
      const said = mine.find((w) => claimSet.has(w));
      const opposite = theirs.find((w) => evidenceSet.has(w));
      if (said && opposite && !mine.some((w) => evidenceSet.has(w)) && !theirs.some((w) => claimSet.has(w))) return `claim says "${said}", evidence says "${opposite}"`;
    }
  }
  return null;
}
