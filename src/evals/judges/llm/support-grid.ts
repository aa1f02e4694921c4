/**
 * Claim-support samples → attribution grid cells and per-claim verdicts. Each cell is the
 * majority of the samples' verdicts for that (claim, chunk) with the share that agreed; a cell
 * the samples could not decide is listed as undetermined instead of being given a verdict. A
 * claim is supported if any decided cell supports it, else contradicted if any contradicts it;
 * only when every cell is decided and none does is it unsupported — one undetermined cell makes
 * "unsupported" unknowable, so the claim is undetermined.
 */
import type { EvalContext } from '../../types.ts';
import type { AttributionCell, Claim, ClaimVerdict, SupportVerdict } from '../judge.ts';
import { majorityVote } from './majority.ts';
import { locate, type ClaimSupportOutput } from './rubrics.ts';
import type { SampleResult } from './rubric-call.ts';

/** A cell of the LLM judge's grid: the majority verdict and how many samples agreed with it. */
export interface LlmAttributionCell extends AttributionCell {
  /** Share of valid samples that gave this verdict (1 with one sample). */
  agreement: number;
  /** Valid samples the verdict rests on. */
  samples: number;
}

/** A judgement the LLM judge could not make, and why. */
export interface UndeterminedJudgement {
  claimId: string;
  /** null when the whole claim is undetermined rather than one cell. */
  chunkId: string | null;
  reason: string;
}

/** The cells of one claim from its samples. */
export function cellsForClaim(
  claim: Claim,
  contexts: EvalContext[],
  samples: Array<SampleResult<ClaimSupportOutput>>,
): { cells: LlmAttributionCell[]; undetermined: UndeterminedJudgement[] } {
  const valid = samples.flatMap((s) => (s.ok ? [s.value] : []));
  const failures = samples.flatMap((s) => (s.ok ? [] : [s.reason]));
  const cells: LlmAttributionCell[] = [];
  const undetermined: UndeterminedJudgement[] = [];
  contexts.forEach((context, i) => {
    const votes = valid.flatMap((output) => output.verdicts.filter((v) => v.passage === i + 1));
    const vote = majorityVote(votes, (v) => v.verdict);
    if (!vote.decided) {
      const why = votes.length === 0 ? failures.join('; ') || vote.reason : vote.reason;
      undetermined.push({ claimId: claim.id, chunkId: context.chunkId, reason: why });
      return;
    }
    const verdict: SupportVerdict = vote.value.verdict;
    const reasons = [`${verdict} by the LLM judge`];
    if (vote.votes > 1) reasons.push(`${vote.counts[verdict]} of ${vote.votes} samples agree`);
    if (failures.length > 0) reasons.push(`${failures.length} sample(s) failed: ${failures[0]}`);
    // The quote of any agreeing sample that can be found in the chunk is the evidence.
    const quotes = votes.filter((v) => v.verdict === verdict && v.quote.trim() !== '').map((v) => v.quote);
    let evidence: AttributionCell['evidence'];
    for (const quote of quotes) {
      const at = locate(context.text, quote);
      if (at) {
        evidence = { text: context.text.slice(at.start, at.end), start: at.start, end: at.end };
        break;
      }
    }
    if (evidence === undefined && quotes.length > 0) reasons.push(`the judge's quote is not in the chunk: "${truncate(quotes[0]!, 120)}"`);
    cells.push({
      claimId: claim.id,
      chunkId: context.chunkId,
      verdict,
      confidence: vote.agreement,
      ...(evidence ? { evidence } : {}),
      reasons,
      agreement: vote.agreement,
      samples: vote.votes,
    });
  });
  return { cells, undetermined };
}

/** The verdict of one claim from its cells, or the reason it is undetermined. */
export function claimVerdict(
  claim: Claim,
  contexts: EvalContext[],
  cells: LlmAttributionCell[],
  undetermined: UndeterminedJudgement[],
): ClaimVerdict | UndeterminedJudgement {
  if (contexts.length === 0) return { claimId: claim.id, verdict: 'unsupported', bestChunkId: null, confidence: 1 };
  const best = (verdict: SupportVerdict) =>
    cells.filter((c) => c.verdict === verdict).sort((a, b) => b.confidence - a.confidence)[0];
  for (const verdict of ['supported', 'contradicted'] as const) {
    const cell = best(verdict);
    if (cell) return { claimId: claim.id, verdict, bestChunkId: cell.chunkId, confidence: cell.confidence };
  }
  const open = undetermined.filter((u) => u.claimId === claim.id);
  if (open.length > 0) {
    return { claimId: claim.id, chunkId: null, reason: `no chunk supports or contradicts it, and ${open.length} chunk verdict(s) are undetermined: ${open[0]!.reason}` };
  }
  // Every chunk decided "unsupported": the LLM gives no nearness, so the best chunk is the most certain miss.
  const miss = best('unsupported');
  return { claimId: claim.id, verdict: 'unsupported', bestChunkId: miss?.chunkId ?? null, confidence: miss?.confidence ?? 1 };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
