/** What the offline judge reads from a claim: its terms, words, numbers and named entities. */
import { contentTermSet } from '../../../text/content-terms.ts';
import type { Claim } from '../judge.ts';
import { extractEntities, type EntityMention } from '../../../text/entities.ts';
import { extractNumbers, type NumberMention } from '../../../text/numbers.ts';
import { polarityWords, type PolarityWords } from '../../../text/polarity.ts';

export interface ClaimFeatures {
  claim: Claim;
  terms: Set<string>;
  words: PolarityWords;
  numbers: NumberMention[];
  entities: EntityMention[];
  vector?: Float32Array | undefined;
}

/** Features of one claim. */
export function claimFeatures(claim: Claim): ClaimFeatures {
  return {
    claim,
    terms: contentTermSet(claim.text),
    words: polarityWords(claim.text),
    numbers: extractNumbers(claim.text),
    entities: extractEntities(claim.text),
  };
}
