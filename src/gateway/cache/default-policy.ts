/**
 * The semantic cache's default policy, calibrated by bench/semantic-cache/run.ts --write-policy on
 * the even lines of QQP dev (verifier fitted there, threshold at 1.5% false hits there);
 * the odd lines are the held-out result in bench/semantic-cache/RESULTS.md. Generated: refit, do not edit.
 */
import type { SemanticPolicy } from './semantic-policy.ts';

export const DEFAULT_SEMANTIC_POLICY: SemanticPolicy = {
  "minCosine": 0.6,
  "threshold": 0.7521,
  "verifier": {
    "features": [
      "cosine",
      "cosine_sq",
      "word_jaccard",
      "term_jaccard",
      "bigram_jaccard",
      "length_ratio",
      "unshared_terms",
      "rare_unshared",
      "rare_jaccard",
      "align_min",
      "align_mean",
      "unaligned",
      "same_question_word",
      "identical",
      "numbers_differ",
      "entities_differ",
      "negation_differs"
    ],
    "mean": [
      0.8355,
      0.7095,
      0.4284,
      0.5344,
      0.2308,
      0.7828,
      1.2928,
      0.9926,
      0.6675,
      0.4042,
      0.5288,
      0.7666,
      0.6023,
      0.0026,
      0.1018,
      0.2731,
      0.0808
    ],
    "scale": [
      0.1073,
      0.1757,
      0.2266,
      0.2457,
      0.2287,
      0.1799,
      0.697,
      0.5898,
      0.2113,
      0.297,
      0.2298,
      0.6488,
      0.4894,
      0.0506,
      0.3024,
      0.4456,
      0.2725
    ],
    "weights": [
      0.5127,
      -0.4915,
      0.5636,
      -0.3017,
      -0.4813,
      -0.016,
      0.7261,
      -0.6496,
      0.7666,
      -0.3319,
      0.5019,
      -0.1136,
      0.1553,
      0.0341,
      -0.017,
      -0.3262,
      -0.1221
    ],
    "bias": -0.2954
  },
  "guards": true
};
