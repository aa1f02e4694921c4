/**
 * The judge-based scores of one case: faithfulness (claims × chunks attribution grid, carried in
 * the score's `evidence.grid` for the HTML report) and citation accuracy, or undetermined with
 * the reason when they cannot be judged (no judge, a failed system call, nothing retrieved).
 */
import { undetermined, type Score } from '../../core/score.ts';
import type { SupportJudge } from '../judges/judge.ts';
import { citationAccuracy } from '../metrics/citation-accuracy.ts';
import { faithfulness } from '../metrics/faithfulness.ts';
import type { GoldenCase, SystemOutput } from '../types.ts';

export const FAITHFULNESS = 'faithfulness';
export const CITATION_ACCURACY = 'citation_accuracy';

/** A judge that can also grade an answer against its reference (the LLM judge). */
interface GradingJudge extends SupportJudge {
  judgeCorrectness(input: { question: string; answer: string; reference: string }): Promise<Score>;
}

function grades(judge: SupportJudge): judge is GradingJudge {
  return typeof (judge as Partial<GradingJudge>).judgeCorrectness === 'function';
}

/** Faithfulness, citation accuracy when the answer cites, and judged correctness when the judge grades. */
export async function judgeScores(output: SystemOutput, judge: SupportJudge | null, golden?: GoldenCase): Promise<Score[]> {
  const method = judge?.kind ?? 'heuristic';
  const cites = (output.citations ?? []).some((c) => c.chunkIds.length > 0);
  const cannot = (reason: string): Score[] => [undetermined(FAITHFULNESS, reason, { method }), ...(cites ? [undetermined(CITATION_ACCURACY, reason, { method })] : [])];
  if (output.error !== undefined) return cannot(`the system failed on this case (${output.error})`);
  if (!judge) return cannot('no support judge was configured');
  const scores = [await faithfulness(output.answer, output.contexts, judge)];
  if (cites) scores.push(await citationAccuracy(output.answer, output.citations ?? [], output.contexts, judge));
  if (grades(judge) && golden?.referenceAnswer && !output.abstained) {
    scores.push(await judge.judgeCorrectness({ question: golden.question, answer: output.answer, reference: golden.referenceAnswer }));
  }
  return scores;
}
