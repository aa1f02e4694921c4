/**
 * The LLM judge's rubrics as versioned templates. A rubric's text decides the judge's verdicts,
 * so a changed text is a different judge: its version must be bumped, and rubrics.test.ts pins
 * a hash of each template to its version so an unbumped edit fails the tests. Cached judgements
 * and stored calibrations are keyed by these versions.
 */
import { z } from 'zod';
import type { Message } from '../../../core/model.ts';

/** A prompt template (system + user text with {{placeholders}}) and the schema of its JSON reply. */
export interface Rubric<Input, Output> {
  id: string;
  version: number;
  /** `${id}@${version}`: what cache keys, judge versions and reports name. */
  ref: string;
  system: string;
  user: string;
  schema: z.ZodType<Output>;
  /** The template's placeholder values for one input. */
  fill(input: Input): Record<string, string>;
  /** Checks the schema cannot express (e.g. one verdict per passage); a message for the model, or null. */
  check?(output: Output, input: Input): string | null;
}

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values));

// ---- claim-support: one claim against numbered passages, one verdict per passage ----

export interface ClaimSupportInput {
  claim: string;
  passages: string[];
}

const claimSupportOutput = z.object({
  verdicts: z.array(
    z.object({
      passage: z.coerce.number().int(),
      verdict: lowerEnum(['supported', 'contradicted', 'unsupported'] as const),
      quote: z.string().default(''),
    }),
  ),
});
export type ClaimSupportOutput = z.infer<typeof claimSupportOutput>;

export const claimSupportRubric: Rubric<ClaimSupportInput, ClaimSupportOutput> = {
  id: 'claim-support',
  version: 1,
  ref: 'claim-support@1',
  system: [
    'You are a careful fact-checking judge. For one claim, decide whether each numbered context passage supports it, contradicts it, or neither. Judge each passage on its own and use no outside knowledge.',
    '',
    'Definitions:',
    '- supported: the passage states or directly implies everything the claim says.',
    '- contradicted: the passage states something that cannot be true together with the claim.',
    '- unsupported: the passage neither supports nor contradicts the claim (partial support is unsupported).',
    '',
    'Reply with JSON only, no other text, in exactly this shape:',
    '{"verdicts": [{"passage": <passage number>, "verdict": "supported" | "contradicted" | "unsupported", "quote": "<the words of the passage the verdict rests on, copied verbatim; empty when unsupported>"}]}',
    'Give exactly one verdict for every passage.',
  ].join('\n'),
  user: 'Claim: {{claim}}\n\nPassages:\n{{passages}}',
  schema: claimSupportOutput,
  fill: (input) => ({ claim: input.claim, passages: numberedPassages(input.passages) }),
  check(output, input) {
    const seen = new Set<number>();
    for (const v of output.verdicts) {
      if (v.passage < 1 || v.passage > input.passages.length) return `passage ${v.passage} does not exist; the passages are numbered 1 to ${input.passages.length}`;
      if (seen.has(v.passage)) return `passage ${v.passage} has more than one verdict`;
      seen.add(v.passage);
    }
    const missing = input.passages.map((_, i) => i + 1).filter((n) => !seen.has(n));
    return missing.length === 0 ? null : `no verdict for passage${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  },
};

// ---- claim-decomposition: answer → atomic claims, each with the answer text it comes from ----

export interface DecompositionInput {
  answer: string;
}

const decompositionOutput = z.object({
  claims: z.array(z.object({ claim: z.string().min(1), source: z.string().min(1) })),
});
export type DecompositionOutput = z.infer<typeof decompositionOutput>;

export const claimDecompositionRubric: Rubric<DecompositionInput, DecompositionOutput> = {
  id: 'claim-decomposition',
  version: 1,
  ref: 'claim-decomposition@1',
  system: [
    'You split an answer into atomic claims: short, self-contained statements that can each be checked as true or false on their own. Resolve pronouns so each claim stands alone. Skip questions, greetings, hedges and remarks about the answer itself. Add nothing the answer does not say.',
    '',
    'Reply with JSON only, no other text, in exactly this shape:',
    '{"claims": [{"claim": "<the atomic claim>", "source": "<the words of the answer the claim comes from, copied verbatim>"}]}',
  ].join('\n'),
  user: 'Answer:\n{{answer}}',
  schema: decompositionOutput,
  fill: (input) => ({ answer: input.answer }),
  check(output, input) {
    // Spans are how reports highlight a claim in the answer, so a source must really be in it.
    const bad = output.claims.find((c) => locate(input.answer, c.source) === null);
    return bad === undefined ? null : `the source "${bad.source}" is not verbatim in the answer; copy the answer's exact words`;
  },
};

// ---- correctness and answer-relevance: a 1–5 grade with a reason ----

export interface CorrectnessInput {
  question: string;
  answer: string;
  reference: string;
}

export interface RelevanceInput {
  question: string;
  answer: string;
}

const gradeOutput = z.object({ score: z.coerce.number().int().min(1).max(5), reason: z.string().default('') });
export type GradeOutput = z.infer<typeof gradeOutput>;

export const correctnessRubric: Rubric<CorrectnessInput, GradeOutput> = {
  id: 'correctness',
  version: 1,
  ref: 'correctness@1',
  system: [
    'You grade an answer against a reference answer to the same question.',
    '5: says everything essential in the reference and nothing that contradicts it.',
    '4: essentially correct; a minor detail missing or imprecise.',
    '3: partly correct; an important part missing.',
    '2: mostly wrong or beside the point, with something correct.',
    '1: wrong, contradicts the reference, or does not answer.',
    'Do not reward length or style.',
    '',
    'Reply with JSON only, no other text: {"score": <integer 1-5>, "reason": "<one sentence>"}',
  ].join('\n'),
  user: 'Question: {{question}}\n\nReference answer: {{reference}}\n\nAnswer to grade: {{answer}}',
  schema: gradeOutput,
  fill: (input) => ({ question: input.question, reference: input.reference, answer: input.answer }),
};

export const answerRelevanceRubric: Rubric<RelevanceInput, GradeOutput> = {
  id: 'answer-relevance',
  version: 1,
  ref: 'answer-relevance@1',
  system: [
    'You judge whether an answer addresses the question asked, whether or not it is correct.',
    '5: directly and fully addresses the question.',
    '4: addresses it, with some irrelevant material or a small part left unanswered.',
    '3: partly addresses it.',
    '2: barely related to the question.',
    '1: does not address the question, or declines to answer.',
    '',
    'Reply with JSON only, no other text: {"score": <integer 1-5>, "reason": "<one sentence>"}',
  ].join('\n'),
  user: 'Question: {{question}}\n\nAnswer: {{answer}}',
  schema: gradeOutput,
  fill: (input) => ({ question: input.question, answer: input.answer }),
};

/** Every rubric, for version strings and the pinning test. */
export const RUBRICS = [claimSupportRubric, claimDecompositionRubric, correctnessRubric, answerRelevanceRubric] as const;

/** The chat messages a rubric sends for one input. */
export function renderRubric<I, O>(rubric: Rubric<I, O>, input: I): Message[] {
  const values = rubric.fill(input);
  // One pass over the template, so a value that itself contains "{{x}}" is never substituted again.
  const user = rubric.user.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
  return [
    { role: 'system', content: rubric.system },
    { role: 'user', content: user },
  ];
}

function numberedPassages(passages: string[]): string {
  return passages.map((text, i) => `[${i + 1}] ${text}`).join('\n\n');
}

/**
 * Where `quote` occurs in `text`: exactly, else ignoring case and runs of whitespace (models
 * re-space and re-case quotes). Returns offsets into `text`, or null.
 */
export function locate(text: string, quote: string): { start: number; end: number } | null {
  const q = quote.trim();
  if (q === '') return null;
  const exact = text.indexOf(q);
  if (exact >= 0) return { start: exact, end: exact + q.length };
  const pattern = q
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const match = new RegExp(pattern, 'i').exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}
