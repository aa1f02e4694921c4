/**
 * Gradient-boosted shallow decision trees (logistic loss): the semantic cache's non-linear
 * verifier. Each tree is complete to a fixed depth and stored as flat arrays — `split[k]` is the
 * feature and `cut[k]` the threshold of internal node k (children 2k+1, 2k+2; go right when
 * x > cut), `leaf[l]` the value of leaf l — so a few hundred trees are a few tens of KB of
 * committed numbers and scoring one pair is a few thousand comparisons (microseconds).
 * Fitted in-process by histogram boosting with Newton leaf values; no dependencies.
 */

export interface BoostedTree {
  split: number[];
  cut: number[];
  leaf: number[];
}

export interface BoostedTreesModel {
  kind: 'boosted-trees';
  /** Feature names, in order, so splits never silently apply to the wrong feature. */
  features: readonly string[];
  depth: number;
  bias: number;
  trees: BoostedTree[];
}

/** The model's probability that a pair is a true match. */
export function boostedTreesScore(model: BoostedTreesModel, x: readonly number[]): number {
  let z = model.bias;
  const internal = (1 << model.depth) - 1;
  for (const tree of model.trees) {
    let k = 0;
    while (k < internal) k = (x[tree.split[k]!] ?? 0) > tree.cut[k]! ? 2 * k + 2 : 2 * k + 1;
    z += tree.leaf[k - internal]!;
  }
  return 1 / (1 + Math.exp(-z));
}

/**
 * An upper bound of the model's probability over every value of feature `free` (the others as in
 * `x`): each tree contributes the largest leaf it can reach when splits on `free` may go either way.
 * Trees may need different values for their maxima, so this can exceed the true maximum, never fall below it.
 */
export function boostedTreesMaxScore(model: BoostedTreesModel, x: readonly number[], free: number): number {
  let z = model.bias;
  const internal = (1 << model.depth) - 1;
  const best = (tree: BoostedTree, k: number): number => {
    if (k >= internal) return tree.leaf[k - internal]!;
    if (tree.split[k] === free) return Math.max(best(tree, 2 * k + 1), best(tree, 2 * k + 2));
    return best(tree, (x[tree.split[k]!] ?? 0) > tree.cut[k]! ? 2 * k + 2 : 2 * k + 1);
  };
  for (const tree of model.trees) z += best(tree, 0);
  return 1 / (1 + Math.exp(-z));
}

export interface BoostOptions {
  trees?: number;
  depth?: number;
  learningRate?: number;
  /** L2 on leaf values (added to the hessian sum). */
  lambda?: number;
  /** Smallest hessian sum a child may have for a split to be taken. */
  minHessian?: number;
  /** Candidate cut points per feature (quantiles of the training rows). */
  bins?: number;
  /** Fraction of rows each tree sees (deterministic pseudo-random subsample). */
  subsample?: number;
  /** Fraction of features each tree may split on (decorrelates trees when many features say the same). */
  colsample?: number;
  seed?: number;
}

/** Fits boosted trees to rows of features and boolean labels. */
export function fitBoostedTrees(features: readonly string[], rows: readonly number[][], labels: readonly boolean[], options: BoostOptions = {}): BoostedTreesModel {
  const n = rows.length;
  const d = features.length;
  if (n === 0 || n !== labels.length) throw new Error(`fitBoostedTrees needs as many labels as rows (>0), got ${n} rows and ${labels.length} labels`);
  const depth = options.depth ?? 3;
  const rate = options.learningRate ?? 0.1;
  const lambda = options.lambda ?? 1;
  const minHessian = options.minHessian ?? 5;
  const nBins = options.bins ?? 32;
  const subsample = options.subsample ?? 0.8;
  const colsample = options.colsample ?? 1;
  let seed = options.seed ?? 1;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };

  // Cut candidates per feature: distinct quantiles. bin[i][j] = number of cuts below row i's value.
  const cuts: number[][] = [];
  // Row-major bins (row i's bins at i*d): one pass over a node's rows fills every feature's histogram.
  const bin = new Uint8Array(n * d);
  for (let j = 0; j < d; j++) {
    const sorted = rows.map((r) => r[j]!).sort((a, b) => a - b);
    const c: number[] = [];
    for (let q = 1; q < nBins; q++) {
      const lo = sorted[Math.floor((q * n) / nBins) - 1]!;
      const hi = sorted[Math.floor((q * n) / nBins)]!;
      if (hi > lo) {
        const mid = round6((lo + hi) / 2);
        if (c.length === 0 || mid > c[c.length - 1]!) c.push(mid);
      }
    }
    cuts.push(c);
    for (let i = 0; i < n; i++) {
      const v = rows[i]![j]!;
      let b = 0;
      while (b < c.length && v > c[b]!) b++;
      bin[i * d + j] = b;
    }
  }

  const y: number[] = labels.map((l) => (l ? 1 : 0));
  const positives = y.reduce((s, v) => s + v, 0);
  const p0 = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6);
  const bias = Math.log(p0 / (1 - p0));
  const margin = new Float64Array(n).fill(bias);
  const trees: BoostedTree[] = [];
  const internal = (1 << depth) - 1;
  const g = new Float64Array(n);
  // Gradient and hessian histograms of one node, B slots per feature.
  const B = nBins + 1;
  const hg = new Float64Array(d * B);
  const hh = new Float64Array(d * B);
  const h = new Float64Array(n);

  for (let t = 0; t < (options.trees ?? 300); t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-margin[i]!));
      g[i] = p - y[i]!;
      h[i] = Math.max(p * (1 - p), 1e-6);
    }
    const sample: number[] = [];
    for (let i = 0; i < n; i++) if (random() < subsample) sample.push(i);
    // Without colsample no random numbers are drawn here, so fits without it are unchanged.
    const usable = colsample >= 1 ? null : Array.from({ length: d }, () => random() < colsample);
    const split = new Array<number>(internal).fill(0);
    const cut = new Array<number>(internal).fill(Infinity);
    // node of each sampled row, level by level
    let groups: number[][] = [sample];
    for (let level = 0; level < depth; level++) {
      const next: number[][] = [];
      groups.forEach((idx, offset) => {
        const k = (1 << level) - 1 + offset;
        let best = { gain: 0, j: 0, b: -1 };
        let G = 0, H = 0;
        for (const i of idx) { G += g[i]!; H += h[i]!; }
        const parent = (G * G) / (H + lambda);
        hg.fill(0);
        hh.fill(0);
        for (const i of idx) {
          const gi = g[i]!, hi = h[i]!, row = i * d;
          for (let j = 0; j < d; j++) { const b = j * B + bin[row + j]!; hg[b]! += gi; hh[b]! += hi; }
        }
        for (let j = 0; j < d; j++) {
          const nb = cuts[j]!.length + 1;
          if (nb < 2 || (usable && !usable[j])) continue;
          let gl = 0, hl = 0;
          for (let b = 0; b < nb - 1; b++) {
            gl += hg[j * B + b]!; hl += hh[j * B + b]!;
            const gr = G - gl, hr = H - hl;
            if (hl < minHessian || hr < minHessian) continue;
            const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
            if (gain > best.gain) best = { gain, j, b };
          }
        }
        if (best.b < 0) {
          // No useful split: send everything left (cut = +Infinity).
          split[k] = 0;
          cut[k] = Infinity;
          next.push(idx, []);
        } else {
          split[k] = best.j;
          cut[k] = cuts[best.j]![best.b]!;
          const left: number[] = [], right: number[] = [];
          for (const i of idx) (bin[i * d + best.j]! > best.b ? right : left).push(i);
          next.push(left, right);
        }
      });
      groups = next;
    }
    const leaf = groups.map((idx) => {
      let G = 0, H = 0;
      for (const i of idx) { G += g[i]!; H += h[i]!; }
      return round6((-rate * G) / (H + lambda));
    });
    const tree: BoostedTree = { split, cut: cut.map((c) => (Number.isFinite(c) ? c : 1e9)), leaf };
    trees.push(tree);
    const one: BoostedTreesModel = { kind: 'boosted-trees', features, depth, bias: 0, trees: [tree] };
    for (let i = 0; i < n; i++) {
      const s = boostedTreesScore(one, rows[i]!);
      margin[i]! += Math.log(s / (1 - s));
    }
  }
  return { kind: 'boosted-trees', features: [...features], depth, bias: round6(bias), trees };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The shipped non-linear verifier: boosted trees and a logistic model over the same features, averaged. */
export interface TreeEnsembleVerifier {
  kind: 'trees+logistic';
  trees: BoostedTreesModel;
  logistic: { features: readonly string[]; mean: number[]; scale: number[]; weights: number[]; bias: number };
}

/** The mean of the trees' and the logistic model's probabilities. */
export function treeEnsembleScore(model: TreeEnsembleVerifier, x: readonly number[]): number {
  const l = model.logistic;
  let z = l.bias;
  for (let j = 0; j < l.weights.length; j++) z += l.weights[j]! * (((x[j] ?? 0) - l.mean[j]!) / l.scale[j]!);
  return (boostedTreesScore(model.trees, x) + 1 / (1 + Math.exp(-z))) / 2;
}
