/**
 * The QQP pairs with everything the verifiers are fitted on computed once: sentence vectors and
 * their cosine, guard flags, text profiles, the extended and lexical pair features, and the
 * calibration (even lines) / held-out (odd lines) split. Shared by run.ts (the reported result)
 * and tune.ts (model selection, which reads calibration labels only).
 */
import { createOfflineEmbedder } from '../../src/providers/offline/embedder-factory.ts';
import { loadWordVectors } from '../../src/providers/offline/word-vectors.ts';
import { guardFlags, type GuardFlags } from '../../src/gateway/cache/guards.ts';
import { readPairs, type LabelledPair } from '../../src/gateway/cache/replay-pairs.ts';
import { extendedPairFeatures, FEATURE_NAMES, textProfile, type Lexicon, type TextProfile } from '../../src/gateway/cache/verifier-features.ts';
import { lexicalPairFeatures } from '../../src/gateway/cache/lexical-features.ts';
import { fitWordIdf, WordIdf, type WordIdfTable } from '../../src/gateway/cache/word-idf.ts';
import type { EmbeddingModel } from '../../src/core/model.ts';

// Candidates below this cosine are never verified (and the verifiers are fitted on those above it).
export const MIN_COSINE = 0.6;

export interface PairData {
  pairs: LabelledPair[];
  embedder: EmbeddingModel;
  lexicon: Lexicon;
  va: Float32Array[];
  vb: Float32Array[];
  cosine: number[];
  guards: GuardFlags[];
  profiles: Array<[TextProfile, TextProfile]>;
  /** EXTENDED_FEATURE_NAMES per pair. */
  extended: number[][];
  /** FEATURE_NAMES per pair (the plain logistic verifier's). */
  features: number[][];
  /** LEXICAL_FEATURE_NAMES per pair, with the calibration half's question IDF. */
  lexical: number[][];
  idfTable: WordIdfTable;
  calibration: number[];
  heldOut: number[];
  /** Milliseconds spent computing all of the above. */
  featureMs: number;
}

/** Reads a pairs file and computes every pair's unlabelled features. */
export async function loadPairData(file: string): Promise<PairData> {
  const pairs = readPairs(file);
  const embedder = createOfflineEmbedder();
  const lexicon = await loadWordVectors();
  const t0 = performance.now();
  const embedAll = async (texts: string[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 5000) out.push(...(await embedder.embed(texts.slice(i, i + 5000))).vectors);
    return out;
  };
  const va = await embedAll(pairs.map((p) => p.a));
  const vb = await embedAll(pairs.map((p) => p.b));
  const cosine = pairs.map((_, i) => dot(va[i]!, vb[i]!));
  const guards = pairs.map((p) => guardFlags(p.a, p.b));
  const profiles: Array<[TextProfile, TextProfile]> = pairs.map((p) => [textProfile(p.a, lexicon), textProfile(p.b, lexicon)]);
  const extended = pairs.map((p, i) => extendedPairFeatures(p.a, p.b, profiles[i]![0], profiles[i]![1], cosine[i]!, guards[i]!));
  const features = extended.map((x) => x.slice(0, FEATURE_NAMES.length));
  const calibration = pairs.map((_, i) => i).filter((i) => i % 2 === 0);
  const heldOut = pairs.map((_, i) => i).filter((i) => i % 2 === 1);
  // Question IDF from the calibration half's texts only (no labels; the held-out half's text unseen).
  const idfTable = fitWordIdf(calibration.map((i) => [pairs[i]!.a, pairs[i]!.b]));
  const idf = new WordIdf(idfTable);
  const lexical = pairs.map((_, i) => lexicalPairFeatures(profiles[i]![0], profiles[i]![1], idf));
  return { pairs, embedder, lexicon, va, vb, cosine, guards, profiles, extended, features, lexical, idfTable, calibration, heldOut, featureMs: performance.now() - t0 };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
