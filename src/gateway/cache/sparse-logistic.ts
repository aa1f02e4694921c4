/**
 * Logistic regression over sparse indicator lists ("this word is on one side only"), fitted by
 * AdaGrad with L2 in the given row order, so a fit is deterministic. Indicators seen in fewer than
 * `minCount` rows get no weight. Used for the difference bag (difference-bag.ts) and for the
 * candidate feature sets the semantic-cache bench tries (bench/semantic-cache/tune-features.ts).
 */
export interface SparseLogisticOptions {
  l2?: number;
  learningRate?: number;
  epochs?: number;
  minCount?: number;
}

export interface SparseLogisticFit {
  bias: number;
  /** Indicator → weight, unrounded, in first-seen order. */
  weights: Map<string, number>;
}

export function fitSparseLogistic(bags: readonly (readonly string[])[], labels: readonly boolean[], options: SparseLogisticOptions = {}): SparseLogisticFit {
  const l2 = options.l2 ?? 0.01;
  const rate = options.learningRate ?? 0.1;
  const minCount = options.minCount ?? 3;
  const count = new Map<string, number>();
  for (const bag of bags) for (const f of bag) count.set(f, (count.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of count) if (n >= minCount) index.set(f, index.size + 1);
  // Slot 0 is the bias; rows hold slot numbers only.
  const rows = bags.map((bag) => [0, ...bag.map((f) => index.get(f) ?? -1).filter((k) => k >= 0)]);
  const w = new Float64Array(index.size + 1);
  const g2 = new Float64Array(index.size + 1);
  for (let epoch = 0; epoch < (options.epochs ?? 8); epoch++) {
    rows.forEach((row, i) => {
      let z = 0;
      for (const k of row) z += w[k]!;
      const err = 1 / (1 + Math.exp(-z)) - (labels[i] ? 1 : 0);
      for (const k of row) {
        const g = err + l2 * w[k]!;
        g2[k]! += g * g;
        w[k]! -= (rate * g) / Math.sqrt(g2[k]! + 1e-8);
      }
    });
  }
  const weights = new Map<string, number>();
  for (const [f, k] of index) weights.set(f, w[k]!);
  return { bias: w[0]!, weights };
}
