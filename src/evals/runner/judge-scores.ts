/**
 * The judge-based scores of one case: faithfulness (claims × chunks attribution grid) and
 * citation accuracy.
 *
 * INTEGRATION POINT: metrics/faithfulness.ts and metrics/citation-accuracy.ts are being written
 * beside this runner. Until they land, this file computes both from the shared pieces
 * (decomposeAnswer + SupportJudge) with the same contract: the grid travels in the faithfulness
 * score's evidence (`evidence.grid`), which the HTML report draws.
 */
import type { JsonValue } from '../../core/json.ts';
import { scored, undetermined, type Score } from '../../core/score.ts';
import { decomposeAnswer } from '../claims/decompose-claims.ts';
import type { Claim, SupportJudge } from '../judges/judge.ts';
import { didAbstain } from '../metrics/abstention.ts';
import type { SystemOutput } from '../types.ts';

export const FAITHFULNESS = 'faithfulness';
export const CITATION_ACCURACY = 'citation_accuracy';

/** Faithfulness and citation accuracy for one output; undetermined (with reasons) when they cannot be judged. */
export async function judgeScores(output: SystemOutput, judge: SupportJudge | null): Promise<Score[]> {
  const method = judge?.kind ?? 'heuristic';
  const cannot = (reason: string): Score[] => [undetermined(FAITHFULNESS, reason, { method }), ...(output.citations?.length ? [undetermined(CITATION_ACCURACY, reason, { method })] : [])];
  if (output.error !== undefined) return cannot(`the system failed on this case (${output.error})`);
  if (!judge) return cannot('no support judge was configured');
  if (didAbstain(output)) return [undetermined(FAITHFULNESS, 'the system abstained: there are no claims to check', { method })];
  const { claims } = decomposeAnswer(output.answer);
  if (claims.length === 0) return cannot('the answer makes no checkable claim');
  if (output.contexts.length === 0) return cannot('no context was retrieved to check the claims against');
  const grid = await judge.judge(claims, output.contexts);
  const supported = grid.perClaim.filter((v) => v.verdict === 'supported').length;
  const contradicted = grid.perClaim.filter((v) => v.verdict === 'contradicted').length;
  const judgeInfo = { name: judge.name, version: judge.version, kind: judge.kind };
  const scores: Score[] = [
    scored(FAITHFULNESS, supported / claims.length, `${supported} of ${claims.length} claim(s) supported by a retrieved chunk, ${contradicted} contradicted`, {
      method,
      evidence: { judge: judgeInfo, grid: grid as unknown as JsonValue },
    }),
  ];
  const citation = await citationAccuracy(output, claims, judge);
  if (citation) scores.push(citation);
  return scores;
}

/** Share of cited (sentence, chunk) pairs whose chunk supports the sentence's claims; null without citations. */
async function citationAccuracy(output: SystemOutput, claims: Claim[], judge: SupportJudge): Promise<Score | null> {
  const citations = output.citations ?? [];
  if (citations.length === 0) return null;
  const byId = new Map(output.contexts.map((c) => [c.chunkId, c]));
  const pairs: Array<{ sentence: string; chunkId: string; supported: boolean | null }> = [];
  for (const citation of citations) {
    const own = claims.filter((c) => citation.sentence.includes(c.text) || c.text.includes(citation.sentence.trim()));
    for (const chunkId of citation.chunkIds) {
      const context = byId.get(chunkId);
      if (!context || own.length === 0) {
        pairs.push({ sentence: citation.sentence, chunkId, supported: null });
        continue;
      }
      const grid = await judge.judge(own, [context]);
      pairs.push({ sentence: citation.sentence, chunkId, supported: grid.perClaim.some((v) => v.verdict === 'supported') });
    }
  }
  const judged = pairs.filter((p) => p.supported !== null);
  const method = judge.kind;
  if (judged.length === 0) return undetermined(CITATION_ACCURACY, 'no citation could be matched to a retrieved chunk and a claim', { method, evidence: pairs });
  const good = judged.filter((p) => p.supported).length;
  return scored(CITATION_ACCURACY, good / judged.length, `${good} of ${judged.length} citation(s) point at a chunk that supports the citing sentence`, { method, evidence: pairs });
}
