/**
 * When a cached question may answer a new one. A candidate needs a cosine of at least `minCosine`
 * to the new question; then either the verifier (a logistic model over pair features, see
 * verifier-features.ts, or boosted trees averaged with one) scores it and it is a hit at `threshold` or above, or — without a
 * verifier — the cosine itself must reach `threshold` and no guard may fire.
 */
import { firstGuardFired, guardFlags, type GuardName } from './guards.ts';
import { treeEnsembleScore, type TreeEnsembleVerifier } from './boosted-trees.ts';
import { logisticScore, type LogisticModel } from './logistic-model.ts';
import { EXTENDED_FEATURE_NAMES, extendedPairFeatures, FEATURE_NAMES, pairFeatures, textProfile, type Lexicon } from './verifier-features.ts';

export interface SemanticPolicy {
  /** Cosine a candidate needs before anything else is computed. */
  minCosine: number;
  /** Verifier probability for a hit (or the cosine, when there is no verifier). */
  threshold: number;
  /**
   * The verifier: a logistic model over FEATURE_NAMES, or boosted trees + a logistic model over
   * EXTENDED_FEATURE_NAMES (see boosted-trees.ts); null compares cosine with `threshold`.
   */
  verifier: LogisticModel | TreeEnsembleVerifier | null;
  /** Whether the number, entity and negation guards veto a hit. */
  guards: boolean;
}

/** What the policy says about one (new question, cached question) pair. */
export interface PairDecision {
  accepted: boolean;
  /** Verifier probability, or the cosine when there is no verifier. */
  score: number;
  cosine: number;
  /** The guard that vetoed the pair, if one did. */
  guard: GuardName | null;
}

/** Decides one pair; `lexicon` is needed only when the policy has a verifier. */
export function decidePair(policy: SemanticPolicy, question: string, cached: string, cosine: number, lexicon: Lexicon | undefined): PairDecision {
  if (cosine < policy.minCosine) return { accepted: false, score: policy.verifier ? 0 : cosine, cosine, guard: null };
  const flags = guardFlags(question, cached);
  const guard = policy.guards ? firstGuardFired(flags) : null;
  let score = cosine;
  if (policy.verifier) {
    if (!lexicon) throw new Error('a semantic policy with a verifier needs word vectors (a Lexicon)');
    const v = policy.verifier;
    const ensemble = 'kind' in v && v.kind === 'trees+logistic';
    const fitted = ensemble ? v.trees.features : (v as LogisticModel).features;
    const expected = ensemble ? EXTENDED_FEATURE_NAMES : FEATURE_NAMES;
    if (fitted.join() !== expected.join() || (ensemble && v.logistic.features.join() !== expected.join())) throw new Error('the verifier was fitted on other features than verifier-features.ts computes; refit it (bench/semantic-cache/run.ts)');
    const pq = textProfile(question, lexicon);
    const pc = textProfile(cached, lexicon);
    score = ensemble ? treeEnsembleScore(v, extendedPairFeatures(question, cached, pq, pc, cosine, flags)) : logisticScore(v as LogisticModel, pairFeatures(question, cached, pq, pc, cosine, flags));
  }
  return { accepted: guard === null && score >= policy.threshold, score, cosine, guard };
}
