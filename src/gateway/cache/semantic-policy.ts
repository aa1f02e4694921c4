/**
 * When a cached question may answer a new one. A candidate needs a cosine of at least `minCosine`
 * to the new question; then either the verifier (a logistic model over pair features, see
 * verifier-features.ts, boosted trees averaged with one, or the same over the lexical features too,
 * see lexical-verifier.ts) scores it and it is a hit at `threshold` or above, or — without a
 * verifier — the cosine itself must reach `threshold` and no guard may fire.
 */
import { firstGuardFired, guardFlags, type GuardFlags, type GuardName } from './guards.ts';
import { treeEnsembleScore, type TreeEnsembleVerifier } from './boosted-trees.ts';
import { LEXICAL_VERIFIER_FEATURE_NAMES, lexicalVerifierFeatures, lexicalVerifierScore, type LexicalTreeVerifier } from './lexical-verifier.ts';
import { logisticScore, type LogisticModel } from './logistic-model.ts';
import { EXTENDED_FEATURE_NAMES, extendedPairFeatures, FEATURE_NAMES, pairFeatures, textProfile, type Lexicon, type TextProfile } from './verifier-features.ts';

export interface SemanticPolicy {
  /** Cosine a candidate needs before anything else is computed. */
  minCosine: number;
  /** Verifier probability for a hit (or the cosine, when there is no verifier). */
  threshold: number;
  /**
   * The verifier: a logistic model over FEATURE_NAMES, or boosted trees + a logistic model over
   * EXTENDED_FEATURE_NAMES (see boosted-trees.ts), or the lexical verifier (lexical-verifier.ts);
   * null compares cosine with `threshold`.
   */
  verifier: LogisticModel | TreeEnsembleVerifier | LexicalTreeVerifier | null;
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
    const pq = textProfile(question, lexicon);
    const pc = textProfile(cached, lexicon);
    score = verifierScore(policy.verifier, question, cached, pq, pc, cosine, flags);
  }
  return { accepted: guard === null && score >= policy.threshold, score, cosine, guard };
}

const STALE = 'the verifier was fitted on other features than verifier-features.ts computes; refit it (bench/semantic-cache/run.ts)';

function verifierScore(v: LogisticModel | TreeEnsembleVerifier | LexicalTreeVerifier, question: string, cached: string, pq: TextProfile, pc: TextProfile, cosine: number, flags: GuardFlags): number {
  const kind = 'kind' in v ? v.kind : 'logistic';
  if (kind === 'lexical-trees+logistic') {
    const lv = v as LexicalTreeVerifier;
    if (!sameNames(lv.trees.features, LEXICAL_VERIFIER_FEATURE_NAMES) || !sameNames(lv.logistic.features, LEXICAL_VERIFIER_FEATURE_NAMES)) throw new Error(STALE);
    return lexicalVerifierScore(lv, lexicalVerifierFeatures(lv, question, cached, pq, pc, cosine, flags));
  }
  if (kind === 'trees+logistic') {
    const tv = v as TreeEnsembleVerifier;
    if (!sameNames(tv.trees.features, EXTENDED_FEATURE_NAMES) || !sameNames(tv.logistic.features, EXTENDED_FEATURE_NAMES)) throw new Error(STALE);
    return treeEnsembleScore(tv, extendedPairFeatures(question, cached, pq, pc, cosine, flags));
  }
  const lm = v as LogisticModel;
  if (!sameNames(lm.features, FEATURE_NAMES)) throw new Error(STALE);
  return logisticScore(lm, pairFeatures(question, cached, pq, pc, cosine, flags));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
