/** LLM-as-judge: versioned rubrics, validated JSON with retry, N samples with agreement, cached calls. */
export { createLlmJudge, type Decomposed, type LlmAttributionGrid, type LlmJudge, type LlmJudgeOptions } from './llm-judge.ts';
export type { JudgeCache, LlmJudgeStats } from './rubric-call.ts';
export type { LlmAttributionCell, UndeterminedJudgement } from './support-grid.ts';
export { majorityVote, type Vote } from './majority.ts';
export { extractJson, parseRubricOutput, type ParsedOutput } from './json-output.ts';
export {
  RUBRICS,
  answerRelevanceRubric,
  claimDecompositionRubric,
  claimSupportRubric,
  correctnessRubric,
  renderRubric,
  type ClaimSupportInput,
  type ClaimSupportOutput,
  type CorrectnessInput,
  type DecompositionInput,
  type DecompositionOutput,
  type GradeOutput,
  type RelevanceInput,
  type Rubric,
} from './rubrics.ts';
