/**
 * A sparse logistic model over what differs between two questions: each word and each word bigram
 * that one side has and the other lacks, and the pair of question words ("how"/"why"). Learnt
 * from labelled pairs, it knows that "you" for "I" or an extra "some" rarely changes a question
 * while "why" for "how" or an extra "first" often does — jointly, so words that come together are
 * not counted twice as they are in unshared-word-odds.ts. Its logit is one verifier feature.
 * Fitted by AdaGrad with L2 on the calibration half (bench/semantic-cache); committed with the
 * verifier. Indicators seen in fewer than `minCount` fitted pairs get no weight, and weights
 * under 0.05 are dropped (they move a logit by less than its rounding elsewhere).
 */
import { fitSparseLogistic, type SparseLogisticOptions } from './sparse-logistic.ts';
import { unsharedWords } from './unshared-word-odds.ts';

export interface DifferenceBagModel {
  kind: 'difference-bag';
  bias: number;
  /**
   * Weight (2 decimals) → its indicators, space-separated (u:word unshared word, b:w1_w2 unshared
   * bigram, q:w1_w2 question-word pair); grouped by weight, the committed table is ~40% smaller.
   */
  byWeight: Record<string, string>;
}

const MIN_WEIGHT = 0.05;
// Building the map costs milliseconds; a model's map is built once per process.
const weightsOfModel = new WeakMap<DifferenceBagModel, Map<string, number>>();

/** Indicator → weight of a model (memoised). */
export function differenceBagWeights(model: DifferenceBagModel): Map<string, number> {
  let m = weightsOfModel.get(model);
  if (!m) {
    m = new Map();
    for (const [w, list] of Object.entries(model.byWeight)) for (const f of list.split(' ')) if (f) m.set(f, Number(w));
    weightsOfModel.set(model, m);
  }
  return m;
}

const QUESTION_WORDS = new Set(['what', 'why', 'how', 'when', 'where', 'who', 'which', 'is', 'are', 'can', 'do', 'does', 'should', 'will', 'would', 'could']);

/** The indicators of a pair of tokenised questions (symmetric in the two). */
export function differenceBag(a: readonly string[], b: readonly string[]): string[] {
  const out = unsharedWords(a, b).map((w) => `u:${w}`);
  const ba = bigrams(a);
  const bb = bigrams(b);
  for (const x of ba) if (!bb.has(x)) out.push(`b:${x}`);
  for (const x of bb) if (!ba.has(x)) out.push(`b:${x}`);
  const qa = a.find((w) => QUESTION_WORDS.has(w)) ?? '';
  const qb = b.find((w) => QUESTION_WORDS.has(w)) ?? '';
  out.push(`q:${[qa, qb].sort().join('_')}`);
  return out;
}

function bigrams(words: readonly string[]): Set<string> {
  const s = new Set<string>();
  // "_" never occurs in a word token, so an indicator has no space and tables can list them space-separated.
  for (let i = 1; i < words.length; i++) s.add(`${words[i - 1]}_${words[i]}`);
  return s;
}

/** The model's logit for a pair of tokenised questions (higher: more likely the same question). */
export function differenceBagScore(model: DifferenceBagModel, a: readonly string[], b: readonly string[]): number {
  const weights = differenceBagWeights(model);
  let z = model.bias;
  for (const f of differenceBag(a, b)) z += weights.get(f) ?? 0;
  return z;
}

export type DifferenceBagOptions = SparseLogisticOptions;

/** Fits the model to tokenised labelled pairs (in their given order: the fit is deterministic). */
export function fitDifferenceBag(pairs: ReadonlyArray<{ a: readonly string[]; b: readonly string[]; duplicate: boolean }>, options: DifferenceBagOptions = {}): DifferenceBagModel {
  const fit = fitSparseLogistic(
    pairs.map((p) => differenceBag(p.a, p.b)),
    pairs.map((p) => p.duplicate),
    options,
  );
  const groups = new Map<number, string[]>();
  for (const [f, weight] of [...fit.weights].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const v = Math.round(weight * 100) / 100;
    if (Math.abs(v) < MIN_WEIGHT) continue;
    groups.set(v, [...(groups.get(v) ?? []), f]);
  }
  const byWeight: Record<string, string> = {};
  for (const v of [...groups.keys()].sort((x, y) => x - y)) byWeight[v.toFixed(2)] = groups.get(v)!.join(' ');
  return { kind: 'difference-bag', bias: Math.round(fit.bias * 1000) / 1000, byWeight };
}
