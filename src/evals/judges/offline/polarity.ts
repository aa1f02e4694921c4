/**
 * Polarity checks: a claim that negates what its evidence asserts ("was not released" vs "was
 * released"), or uses the opposite word ("increased" vs "decreased"), says the contrary while
 * sharing almost every content word — so word overlap alone would call it supported.
 */

const WORD = /[\p{L}]+(?:['’]t)?/gu;
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

/** Lowercase words of a text (contractions like "didn't" kept whole). */
export function polarityWords(text: string): string[] {
  return [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]);
}

/** The negation words of a text, e.g. ["not"] for "was not released". */
export function negationsOf(words: readonly string[]): string[] {
  return words.filter((w) => NEGATIONS.has(w) || /n['’]t$/.test(w));
}

/** Why claim and evidence disagree in polarity (negation or opposite words), or null. */
export function polarityConflict(claimWords: readonly string[], evidenceWords: readonly string[]): string | null {
  const claimNeg = negationsOf(claimWords);
  const evidenceNeg = negationsOf(evidenceWords);
  // Parity, not counts: "not without merit" is not a negation of "with merit" in any way we can tell.
  if (claimNeg.length % 2 !== evidenceNeg.length % 2) {
    return claimNeg.length > evidenceNeg.length
      ? `claim negates ("${claimNeg.join('", "')}") what the evidence asserts`
      : `evidence negates ("${evidenceNeg.join('", "')}") what the claim asserts`;
  }
  const claimSet = new Set(claimWords);
  const evidenceSet = new Set(evidenceWords);
  for (const [a, b] of ANTONYM_PAIRS) {
    for (const [mine, theirs] of [[a, b], [b, a]] as const) {
      const said = mine.find((w) => claimSet.has(w));
      const opposite = theirs.find((w) => evidenceSet.has(w));
      if (said && opposite && !mine.some((w) => evidenceSet.has(w))) return `claim says "${said}", evidence says "${opposite}"`;
    }
  }
  return null;
}
