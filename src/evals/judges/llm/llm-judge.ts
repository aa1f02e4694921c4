/**
 * LLM-as-judge through any ChatModel: claim support (the SupportJudge interface, one call per
 * claim covering every chunk), claim decomposition, correctness against a reference and answer
 * relevance — each from a versioned rubric, validated JSON, N samples with majority and agreement,
 * and cached judge calls. What cannot be judged is undetermined with the reason.
 */
import { PlumbError } from '../../../core/errors.ts';
import type { ChatModel } from '../../../core/model.ts';
import { scored, undetermined, type Score } from '../../../core/score.ts';
import { splitSentences } from '../../../text/sentences.ts';
import type { EvalContext } from '../../types.ts';
import type { AttributionGrid, Claim, ClaimVerdict, SupportJudge } from '../judge.ts';
import { majorityVote } from './majority.ts';
import { emptyStats, sampleRubric, type JudgeCache, type LlmJudgeStats, type RubricCallContext } from './rubric-call.ts';
import {
  RUBRICS,
  answerRelevanceRubric,
  claimDecompositionRubric,
  claimSupportRubric,
  correctnessRubric,
  locate,
  type CorrectnessInput,
  type GradeOutput,
  type RelevanceInput,
  type Rubric,
} from './rubrics.ts';
import { cellsForClaim, claimVerdict, type LlmAttributionCell, type UndeterminedJudgement } from './support-grid.ts';

export interface LlmJudgeOptions {
  model: ChatModel;
  /** Independent samples per judgement; the majority wins. Default 1. */
  samples?: number;
  /** Default 0 with one sample; 0.7 with several (identical deterministic samples would agree by construction). */
  temperature?: number;
  maxOutputTokens?: number;
  /** Re-asks after an invalid reply. Default 2. */
  maxRetries?: number;
  cache?: JudgeCache;
}

/** The grid of the LLM judge: cells carry agreement, and what could not be judged is listed. */
export interface LlmAttributionGrid extends AttributionGrid {
  cells: LlmAttributionCell[];
  /** Cells and claims without a verdict; such claims are absent from `perClaim`. */
  undetermined: UndeterminedJudgement[];
}

export type Decomposed = { claims: Claim[]; reason?: undefined } | { claims: null; reason: string };

export interface LlmJudge extends SupportJudge {
  readonly kind: 'llm';
  judge(claims: Claim[], contexts: EvalContext[]): Promise<LlmAttributionGrid>;
  /** The answer's atomic claims, with spans located in the answer (first sample only). */
  decompose(answer: string): Promise<Decomposed>;
  /** Correctness against the reference: score 1–5 mapped to [0, 1]. */
  judgeCorrectness(input: CorrectnessInput): Promise<Score>;
  /** Does the answer address the question: score 1–5 mapped to [0, 1]. */
  judgeRelevance(input: RelevanceInput): Promise<Score>;
  /** Calls, cache hits, retries, tokens and cost so far. */
  stats(): LlmJudgeStats;
}

const JUDGE_FORMAT = 'llm-v1';

/** An LLM judge over `model`; refuses plumb's offline extractive answerer, which cannot judge. */
export function createLlmJudge(options: LlmJudgeOptions): LlmJudge {
  const { model } = options;
  if (model.provider === 'plumb-offline') {
    throw new PlumbError('invalid_config', `the LLM judge needs an LLM, but the model is plumb's offline ${model.modelId} answerer`, {
      hint: 'configure answer.provider (openai-compatible or anthropic) with answer.model, or use the offline judge',
    });
  }
  const samples = options.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1) throw new PlumbError('bad_request', `samples must be a positive integer, got ${samples}`);
  const temperature = options.temperature ?? (samples > 1 ? 0.7 : 0);
  // Everything that can change a verdict is in the version: format, model, rubrics, sampling.
  const version = [JUDGE_FORMAT, `${model.provider}/${model.modelId}`, RUBRICS.map((r) => r.ref).join('+'), `n${samples}`, `t${temperature}`].join(':');
  const stats = emptyStats();
  const ctx: RubricCallContext = {
    model,
    temperature,
    maxOutputTokens: options.maxOutputTokens ?? 1024,
    judgeVersion: version,
    maxRetries: options.maxRetries ?? 2,
    cache: options.cache,
    stats,
  };

  const grade = async <I>(rubric: Rubric<I, GradeOutput>, name: string, input: I): Promise<Score> => {
    const results = await sampleRubric(ctx, rubric, input, samples);
    const valid = results.flatMap((r) => (r.ok ? [r.value] : []));
    const failures = results.flatMap((r) => (r.ok ? [] : [r.reason]));
    const evidenceBase = { rubric: rubric.ref, judge: version, samples: valid.map((v) => ({ score: v.score, reason: v.reason })), failures };
    const vote = majorityVote(valid, (v) => String(v.score));
    if (!vote.decided) {
      return undetermined(name, valid.length === 0 ? failures.join('; ') : vote.reason, { method: 'llm', evidence: evidenceBase });
    }
    const { score, reason } = vote.value;
    return scored(name, (score - 1) / 4, `${score}/5: ${reason}`, { method: 'llm', evidence: { ...evidenceBase, score, agreement: vote.agreement } });
  };

  return {
    name: `llm judge (${model.provider}/${model.modelId})`,
    version,
    kind: 'llm',

    async judge(claims, contexts) {
      const cells: LlmAttributionCell[] = [];
      const perClaim: ClaimVerdict[] = [];
      const open: UndeterminedJudgement[] = [];
      for (const claim of claims) {
        const results = contexts.length === 0 ? [] : await sampleRubric(ctx, claimSupportRubric, { claim: claim.text, passages: contexts.map((c) => c.text) }, samples);
        const grid = cellsForClaim(claim, contexts, results);
        cells.push(...grid.cells);
        open.push(...grid.undetermined);
        const verdict = claimVerdict(claim, contexts, grid.cells, grid.undetermined);
        if ('verdict' in verdict) perClaim.push(verdict);
        else open.push(verdict);
      }
      return { claims, cells, perClaim, undetermined: open };
    },

    async decompose(answer) {
      const [result] = await sampleRubric(ctx, claimDecompositionRubric, { answer }, 1);
      if (!result) return { claims: null, reason: 'no decomposition sample' };
      if (!result.ok) return { claims: null, reason: result.reason };
      const sentences = splitSentences(answer);
      const claims = result.value.claims.map((c, i): Claim => {
        // The rubric's check guarantees every source is in the answer.
        const at = locate(answer, c.source) ?? { start: 0, end: answer.length };
        const sentenceIndex = Math.max(0, sentences.findIndex((s) => s.end > at.start));
        return { id: `c${i + 1}`, text: c.claim, sentenceIndex, span: [at.start, at.end] };
      });
      return { claims };
    },

    judgeCorrectness: (input) => grade(correctnessRubric, 'correctness', input),
    judgeRelevance: (input) => grade(answerRelevanceRubric, 'answer_relevance', input),
    stats: () => ({ ...stats }),
  };
}
