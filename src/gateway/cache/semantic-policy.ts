/**
 * When a cached question may answer a new one. A candidate needs a cosine of at least `minCosine`
 * to the new question; then either the verifier (a logistic model over pair features, see
 * verifier-features.ts, boosted trees averaged with one, or the same over the lexical features too,
 * see lexical-verifier.ts) scores it and it is a hit at `threshold` or above, or — without a
 * verifier — the cosine itself must reach `threshold` and no guard may fire.
 */
import { firstGuardFired, guardFlags, type GuardFlags, type GuardName } from './guards.ts';
import { treeEnsembleScore, type TreeEnsembleVerifier } from './boosted-trees.ts';
import { lexicalVerifierFeatureNames, lexicalVerifierFeatures, lexicalVerifierMaxScore, lexicalVerifierScore, type LexicalTreeVerifier, type VerifierEncoder } from './lexical-verifier.ts';
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
  /**
   * Which guards veto a hit: true for all of them (numbers, entities, negation, question word), or
   * a list. The verifier sees the number, entity and negation flags as features either way.
   */
  guards: boolean | readonly GuardName[];
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

/** The sentence encoder the policy's verifier needs a cosine from, if any. */
export function policyEncoder(policy: SemanticPolicy): VerifierEncoder | undefined {
  return encoderVerifier(policy)?.encoder;
}

// The policy's verifier when it takes a sentence encoder's cosine.
function encoderVerifier(policy: SemanticPolicy): LexicalTreeVerifier | undefined {
  const v = policy.verifier;
  return v && 'kind' in v && v.kind === 'lexical-trees+logistic' && v.encoder ? v : undefined;
}

// The first guard the policy lets veto that fires on the pair.
function vetoingGuard(policy: SemanticPolicy, flags: GuardFlags): GuardName | null {
  return policy.guards === false ? null : firstGuardFired(flags, policy.guards === true ? undefined : policy.guards);
}

/**
 * Decides one pair; `lexicon` is needed only when the policy has a verifier, `encoderCosine` (the
 * pair's cosine under the verifier's sentence encoder) only when that verifier uses one.
 */
export function decidePair(policy: SemanticPolicy, question: string, cached: string, cosine: number, lexicon: Lexicon | undefined, encoderCosine?: number): PairDecision {
  if (cosine < policy.minCosine) return { accepted: false, score: policy.verifier ? 0 : cosine, cosine, guard: null };
  const lv = encoderVerifier(policy);
  if (lv) {
    if (encoderCosine === undefined) throw new Error(`this semantic policy's verifier needs the pair's ${lv.encoder} cosine`);
    return preparePair(policy, question, cached, cosine, lexicon).decide(encoderCosine);
  }
  const flags = guardFlags(question, cached);
  const guard = vetoingGuard(policy, flags);
  let score = cosine;
  if (policy.verifier) {
    if (!lexicon) throw new Error(NO_LEXICON);
    const pq = textProfile(question, lexicon);
    const pc = textProfile(cached, lexicon);
    score = verifierScore(policy.verifier, question, cached, pq, pc, cosine, flags);
  }
  return { accepted: guard === null && score >= policy.threshold, score, cosine, guard };
}

/**
 * One pair, decided as far as it can be without the encoder's cosine. `needsEncoder` is false when
 * the policy uses no encoder, a guard vetoed the pair, or no cosine could lift its score to the
 * threshold: then `decision` is final (its score an upper bound in the last two cases). Otherwise
 * `decide(encoderCosine)` gives what `decidePair` would.
 */
export interface PreparedPair {
  needsEncoder: boolean;
  decision: PairDecision;
  decide(encoderCosine: number): PairDecision;
}

/** Computes a pair's features once; decides it now if the encoder cannot change the outcome. */
export function preparePair(policy: SemanticPolicy, question: string, cached: string, cosine: number, lexicon: Lexicon | undefined): PreparedPair {
  const lv = encoderVerifier(policy);
  if (!lv || cosine < policy.minCosine) {
    const decision = decidePair(policy, question, cached, cosine, lexicon);
    return { needsEncoder: false, decision, decide: () => decision };
  }
  if (!lexicon) throw new Error(NO_LEXICON);
  checkLexicalNames(lv);
  const flags = guardFlags(question, cached);
  const guard = vetoingGuard(policy, flags);
  const x = lexicalVerifierFeatures(lv, question, cached, textProfile(question, lexicon), textProfile(cached, lexicon), cosine, flags);
  const bound = lexicalVerifierMaxScore(lv, x);
  const decide = (encoderCosine: number): PairDecision => {
    const score = lexicalVerifierScore(lv, [...x, encoderCosine]);
    return { accepted: guard === null && score >= policy.threshold, score, cosine, guard };
  };
  const final = guard !== null || bound < policy.threshold;
  return { needsEncoder: !final, decision: { accepted: false, score: bound, cosine, guard }, decide };
}

const NO_LEXICON = 'a semantic policy with a verifier needs word vectors (a Lexicon)';
const STALE = 'the verifier was fitted on other features than verifier-features.ts computes; refit it (bench/semantic-cache/run.ts)';

// A verifier without an encoder feature (those with one go through preparePair).
function verifierScore(v: LogisticModel | TreeEnsembleVerifier | LexicalTreeVerifier, question: string, cached: string, pq: TextProfile, pc: TextProfile, cosine: number, flags: GuardFlags): number {
  const kind = 'kind' in v ? v.kind : 'logistic';
  if (kind === 'lexical-trees+logistic') {
    const lv = v as LexicalTreeVerifier;
    checkLexicalNames(lv);
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

// A lexical verifier whose models were fitted on other features than lexical-verifier.ts computes is refused.
function checkLexicalNames(lv: LexicalTreeVerifier): void {
  const names = lexicalVerifierFeatureNames(lv);
  if (!sameNames(lv.trees.features, names) || !sameNames(lv.logistic.features, names)) throw new Error(STALE);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
