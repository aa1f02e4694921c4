/**
 * The complexity router's score: how hard a request looks, from features anyone can read, in
 * [0, 1]. Below the threshold a request goes to the cheap model, at or above it to the strong one.
 *
 * Features (each in [0, 1], higher = harder) and their default weights:
 * - length (0.2): question tokens / 40, capped at 1. Long questions ask for more.
 * - type (0.3): 1 for how / why / explain / compare / describe / difference / relationship
 *   questions, 0 for factoid ones (who / when / where / which / what is / how many / yes-no),
 *   0.5 for anything else.
 * - specifics (0.15): distinct named entities and numbers in the question / 4, capped at 1.
 * - multiPart (0.15): 0 for one question, 0.5 for two parts, 1 for three or more ("?" count,
 *   and "and what / and how ..." joins).
 * - retrieval (0.2, only when the request carries `passages`): 1 − the share of the question's
 *   content terms that the best-covering passage contains. A passage that covers the question
 *   makes the answer a lookup; when no passage does, a small model is likelier to go wrong.
 *   Without passages the feature is left out and the other weights are renormalised.
 *
 * Pure and deterministic: the same request always scores the same.
 */
import type { ChatRequest, ContextPassage } from '../../core/model.ts';
import { getTokenizer, type Tokenizer } from '../../core/tokenizer.ts';
import { contentTermSet } from '../../text/content-terms.ts';
import { extractEntities } from '../../text/entities.ts';
import { extractNumbers } from '../../text/numbers.ts';

export type ComplexityFeature = 'length' | 'type' | 'specifics' | 'multiPart' | 'retrieval';

export type ComplexityWeights = Record<ComplexityFeature, number>;

export const DEFAULT_COMPLEXITY_WEIGHTS: Readonly<ComplexityWeights> = Object.freeze({
  length: 0.2,
  type: 0.3,
  specifics: 0.15,
  multiPart: 0.15,
  retrieval: 0.2,
});

export type QuestionType = 'reasoning' | 'factoid' | 'other';

export interface ComplexityAssessment {
  /** Weighted mean of the features present, in [0, 1]. */
  score: number;
  question: string;
  questionType: QuestionType;
  questionTokens: number;
  /** Each feature's value in [0, 1]; `retrieval` is absent when the request has no passages. */
  features: Partial<Record<ComplexityFeature, number>>;
}

const REASONING = /^(?:how(?!\s+(?:many|much|long|old|often|far|big|large|small)\b)|why|explain|compare|contrast|describe|discuss|evaluate|analy[sz]e|assess|justify|summari[sz]e|what\s+(?:are|were|is|was)\s+the\s+(?:difference|differences|relationship|implications?|advantages?|disadvantages?|pros|mechanisms?|effects?|impact)|in\s+what\s+ways?)\b/i;
const REASONING_ANYWHERE = /\b(?:compare[ds]?|versus|vs\.?|differ(?:ence|ences|s)?\s+between|trade-?offs?|pros\s+and\s+cons|step\s+by\s+step|explain|why)\b/i;
const FACTOID = /^(?:who|whom|whose|when|where|which|what|how\s+(?:many|much|long|old|often|far|big|large|small)|(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|had)\b|name|list|define)\b/i;
const PART_JOIN = /\b(?:and|also|as\s+well\s+as)\s+(?:what|how|why|who|when|where|which|whether)\b/gi;

/** The text to assess: the last user turn, with RAG passage blocks and the "Question:" label removed. */
export function questionOf(request: ChatRequest): string {
  const lastUser = request.messages.findLast((m) => m.role === 'user');
  const turn = lastUser?.content ?? '';
  const close = turn.lastIndexOf('</passages>');
  const rest = (close === -1 ? turn : turn.slice(close + '</passages>'.length)).trim();
  return rest.replace(/^Question:\s*/i, '').trim();
}

/** The question's type: reasoning (how / why / compare / explain ...), factoid, or other. */
export function questionTypeOf(question: string): QuestionType {
  const q = question.trim().replace(/^["'(\s]+/, '');
  if (REASONING.test(q)) return 'reasoning';
  if (FACTOID.test(q)) return REASONING_ANYWHERE.test(q) ? 'reasoning' : 'factoid';
  return REASONING_ANYWHERE.test(q) ? 'reasoning' : 'other';
}

/** How many questions the text asks: "?" marks and joins such as "and what", at least 1. */
export function questionParts(question: string): number {
  const marks = (question.match(/\?+/g) ?? []).length;
  const joins = (question.match(PART_JOIN) ?? []).length;
  return Math.max(1, marks, 1 + joins);
}

/** 1 − the best share of question content terms that one passage contains; undefined without passages or terms. */
export function retrievalDifficulty(question: string, passages: readonly ContextPassage[] | undefined): number | undefined {
  if (!passages || passages.length === 0) return undefined;
  const terms = contentTermSet(question);
  if (terms.size === 0) return undefined;
  let best = 0;
  for (const passage of passages) {
    const have = contentTermSet(passage.text);
    let covered = 0;
    for (const term of terms) if (have.has(term)) covered += 1;
    best = Math.max(best, covered / terms.size);
  }
  return 1 - best;
}

const defaultTokenizer = getTokenizer();

/** Scores a request; see the file comment for the features. */
export function assessComplexity(
  request: ChatRequest,
  weights: Readonly<ComplexityWeights> = DEFAULT_COMPLEXITY_WEIGHTS,
  tokenizer: Tokenizer = defaultTokenizer,
): ComplexityAssessment {
  const question = questionOf(request);
  const questionTokens = tokenizer.count(question);
  const questionType = questionTypeOf(question);
  const distinct = new Set([
    ...extractEntities(question).map((e) => `e:${e.words.join(' ')}`),
    ...extractNumbers(question).map((n) => `n:${n.value}`),
  ]);
  const features: Partial<Record<ComplexityFeature, number>> = {
    length: Math.min(1, questionTokens / 40),
    type: questionType === 'reasoning' ? 1 : questionType === 'factoid' ? 0 : 0.5,
    specifics: Math.min(1, distinct.size / 4),
    multiPart: Math.min(1, (questionParts(question) - 1) / 2),
  };
  const retrieval = retrievalDifficulty(question, request.passages);
  if (retrieval !== undefined) features.retrieval = retrieval;
  let sum = 0;
  let total = 0;
  for (const [name, value] of Object.entries(features) as Array<[ComplexityFeature, number]>) {
    sum += weights[name] * value;
    total += weights[name];
  }
  const score = total === 0 ? 0 : sum / total;
  return { score: Math.round(score * 1e6) / 1e6, question, questionType, questionTokens, features };
}
