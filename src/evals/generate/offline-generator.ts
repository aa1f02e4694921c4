/**
 * A golden set from a corpus with no labels and no LLM: the most informative sentences, each turned
 * into a question by a rule (question-transforms.ts), the sentence kept as the gold passage and the
 * answer span as the reference answer. Questions are spread round-robin over the documents (in a
 * seeded order) so one long document does not supply them all; the same seed gives the same set.
 */
import { sha256 } from '../../core/hash.ts';
import type { GoldenCase } from '../types.ts';
import { normalizeAnswer } from '../metrics/answer-normalization.ts';
import { toSourceTexts, type GenerationInput, type SourceText } from './generation-source.ts';
import { QuestionDeduper } from './question-dedupe.ts';
import { questionFrom, type GeneratedQuestion, type QuestionTransform } from './question-transforms.ts';
import { seededRandom, shuffled, type Random } from './seeded-random.ts';
import { salientSentences } from './sentence-salience.ts';

export const OFFLINE_GENERATOR_VERSION = 'offline-v1';

export interface OfflineGenerationOptions {
  /** Documents as loaders produce them, or chunks with their ids. */
  documents: readonly GenerationInput[];
  /** How many cases to produce at most (fewer when the corpus has fewer good sentences). */
  count: number;
  /** Same seed, same set. Default 1. */
  seed?: number;
}

// Patterns that name what they ask for beat the cloze fallback.
const TRANSFORM_BONUS: Record<QuestionTransform, number> = { when: 2, 'how-many': 2, 'what-is': 1.5, 'what-does-mean': 1.5, cloze: 0 };

interface Candidate {
  source: SourceText;
  passage: string;
  generated: GeneratedQuestion;
  rank: number;
}

/** Synthetic golden cases from salient sentences, deterministic for a given seed. */
export function generateOffline(options: OfflineGenerationOptions): GoldenCase[] {
  const random = seededRandom(options.seed ?? 1);
  const byDocument = new Map<string, Candidate[]>();
  for (const source of toSourceTexts(options.documents)) {
    const list = byDocument.get(source.documentId) ?? [];
    list.push(...candidatesOf(source, random));
    byDocument.set(source.documentId, list);
  }
  const queues = shuffled([...byDocument.values()], random).map((list) => list.sort((a, b) => b.rank - a.rank));

  const cases: GoldenCase[] = [];
  const deduper = new QuestionDeduper();
  const usedPassages = new Set<string>();
  while (cases.length < options.count && queues.some((q) => q.length > 0)) {
    for (const queue of queues) {
      if (cases.length >= options.count) break;
      const next = takeNext(queue, deduper, usedPassages);
      if (next) cases.push(toCase(next));
    }
  }
  return cases;
}

function candidatesOf(source: SourceText, random: Random): Candidate[] {
  const out: Candidate[] = [];
  for (const sentence of salientSentences(source.text)) {
    const generated = questionFrom(sentence.cleaned);
    if (!generated || !isUsable(generated)) continue;
    // A little seeded jitter breaks ties, so different seeds pick different equally good sentences.
    out.push({ source, passage: sentence.raw, generated, rank: sentence.salience + TRANSFORM_BONUS[generated.transform] + random() * 0.5 });
  }
  return out;
}

/** The question must not give its answer away, and the answer must say something. */
function isUsable(q: GeneratedQuestion): boolean {
  const answer = normalizeAnswer(q.answer);
  if (answer === '' || q.question.split(' ').length < 4) return false;
  return !` ${normalizeAnswer(q.question)} `.includes(` ${answer} `);
}

function takeNext(queue: Candidate[], deduper: QuestionDeduper, usedPassages: Set<string>): Candidate | undefined {
  while (queue.length > 0) {
    const candidate = queue.shift()!;
    const passageKey = normalizeAnswer(candidate.passage);
    if (usedPassages.has(passageKey)) continue;
    if (!deduper.add(candidate.generated.question)) continue;
    usedPassages.add(passageKey);
    return candidate;
  }
  return undefined;
}

function toCase({ source, passage, generated }: Candidate): GoldenCase {
  return {
    id: `syn-${sha256(`${source.documentId}\u0000${generated.question}`).slice(0, 12)}`,
    question: generated.question,
    referenceAnswer: generated.answer,
    relevantDocumentIds: { [source.documentId]: 1 },
    ...(source.chunkId === undefined ? {} : { relevantChunkIds: [source.chunkId] }),
    goldPassages: [passage],
    tags: ['synthetic', 'offline'],
    metadata: { generator: OFFLINE_GENERATOR_VERSION, transform: generated.transform, source: source.source },
  };
}
