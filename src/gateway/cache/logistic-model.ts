/**
 * A logistic-regression model over standardised features: the semantic cache's verifier. Fitted by
 * full-batch gradient descent with L2 — a few thousand rows of a dozen features fit in well under
 * a second, and the result is a handful of numbers that can be committed and reviewed.
 */

export interface LogisticModel {
  /** Feature names, in order, so weights never silently apply to the wrong feature. */
  features: readonly string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** The model's probability that a pair is a true match. */
export function logisticScore(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j]! * (((x[j] ?? 0) - model.mean[j]!) / model.scale[j]!);
  return 1 / (1 + Math.exp(-z));
}

/** The model's largest probability while feature `free` ranges over [lo, hi] (the others as in `x`): it is monotone in each feature. */
export function logisticMaxScore(model: LogisticModel, x: readonly number[], free: number, lo: number, hi: number): number {
  const w = model.weights[free]!;
  return logisticScore(model, x.map((v, j) => (j === free ? (w >= 0 ? hi : lo) : v)));
}

export interface FitOptions {
  /** L2 penalty on the weights (not the bias). */
  l2?: number;
  iterations?: number;
  learningRate?: number;
}

/** Fits a logistic model to rows of features and boolean labels. */
export function fitLogistic(features: readonly string[], rows: readonly number[][], labels: readonly boolean[], options: FitOptions = {}): LogisticModel {
  const d = features.length;
  const n = rows.length;
  if (n === 0 || n !== labels.length) throw new Error(`fitLogistic needs as many labels as rows (>0), got ${n} rows and ${labels.length} labels`);
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / n;
  for (const r of rows) for (let j = 0; j < d; j++) scale[j]! += (r[j]! - mean[j]!) ** 2 / n;
  // A constant feature would divide by zero; scale 1 leaves it inert.
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
  // Standardised rows in one flat typed array: the loop below runs thousands of times over them.
  const z = new Float64Array(n * d);
  rows.forEach((r, i) => { for (let j = 0; j < d; j++) z[i * d + j] = (r[j]! - mean[j]!) / scale[j]!; });
  const y = Float64Array.from(labels, (l) => (l ? 1 : 0));
  const w = new Float64Array(d);
  const grad = new Float64Array(d);
  let bias = 0;
  const l2 = options.l2 ?? 1e-3;
  const rate = options.learningRate ?? 0.5;
  for (let it = 0; it < (options.iterations ?? 1500); it++) {
    grad.fill(0);
    let gradBias = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let s = bias;
      for (let j = 0; j < d; j++) s += w[j]! * z[o + j]!;
      const err = 1 / (1 + Math.exp(-s)) - y[i]!;
      gradBias += err;
      for (let j = 0; j < d; j++) grad[j]! += err * z[o + j]!;
    }
    bias -= (rate * gradBias) / n;
    for (let j = 0; j < d; j++) w[j]! -= rate * (grad[j]! / n + l2 * w[j]!);
  }
  const weights = Array.from(w);
  return { features: [...features], mean, scale, weights, bias };
}
