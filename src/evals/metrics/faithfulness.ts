/**
 * Faithfulness: the share of an answer's claims that some retrieved chunk supports, judged claim
 * by claim and chunk by chunk. Each unsupported claim gets a diagnosis a person can act on:
 * "retrieval missed it" (no retrieved chunk supports it: fix retrieval, or the generator made it
 * up) or "contradicted by <chunk>" (the generator went against what it was given).
 */
import type { JsonObject } from '../../core/json.ts';
import { scored, undetermined, type Score } from '../../core/score.ts';
import { decomposeAnswer } from '../claims/decompose-claims.ts';
import { attributionGridToJson, judgeLabel, type AttributionGrid, type SupportJudge } from '../judges/judge.ts';
import type { EvalContext } from '../types.ts';

/** Supported claims / claims; undetermined when the answer makes no claim (e.g. it abstains). */
export async function faithfulness(answer: string, contexts: EvalContext[], judge: SupportJudge): Promise<Score> {
  const { claims, skipped } = decomposeAnswer(answer);
  const method = judge.kind;
  if (claims.length === 0) {
    const why = skipped.some((s) => s.reason === 'abstention') ? 'the answer abstains' : 'the answer makes no checkable claim';
    return undetermined('faithfulness', `${why}, so there is nothing to be faithful about`, {
      method,
      evidence: { judge: judgeLabel(judge), skipped: skipped.map((s) => ({ sentenceIndex: s.sentenceIndex, text: s.text, reason: s.reason })) },
    });
  }
  const grid = await judge.judge(claims, contexts);
  const decided = grid.perClaim.length;
  const evidence = { judge: judgeLabel(judge), grid: attributionGridToJson(grid), diagnoses: diagnose(grid) };
  const judgeName = `(${judge.kind} judge ${judge.name} ${judge.version})`;
  // Claims the judge could not decide are left out of the ratio, never counted as unsupported.
  if (decided === 0) {
    const reasons = [...new Set((grid.undetermined ?? []).map((u) => u.reason))].slice(0, 3).join('; ');
    return undetermined('faithfulness', `the judge decided none of the ${claims.length} claims${reasons ? `: ${reasons}` : ''} ${judgeName}`, { method, evidence });
  }
  const supported = grid.perClaim.filter((p) => p.verdict === 'supported').length;
  const contradicted = grid.perClaim.filter((p) => p.verdict === 'contradicted').length;
  const missed = decided - supported - contradicted;
  const parts = [`${supported} of ${decided} claims supported by a retrieved chunk`];
  if (contradicted > 0) parts.push(`${contradicted} contradicted`);
  if (missed > 0) parts.push(`${missed} supported by no chunk`);
  if (decided < claims.length) parts.push(`${claims.length - decided} undetermined by the judge and left out`);
  return scored('faithfulness', supported / decided, `${parts.join('; ')} ${judgeName}`, { method, evidence });
}

/** One diagnosis per claim that is not supported. */
export function diagnose(grid: AttributionGrid): JsonObject[] {
  const text = new Map(grid.claims.map((c) => [c.id, c.text]));
  const out: JsonObject[] = [];
  for (const p of grid.perClaim) {
    if (p.verdict === 'supported') continue;
    const cell = grid.cells.find((c) => c.claimId === p.claimId && c.chunkId === p.bestChunkId);
    const diagnosis = p.verdict === 'contradicted' ? `contradicted by ${p.bestChunkId ?? 'a chunk'}` : 'retrieval missed it';
    const detail =
      p.verdict === 'contradicted'
        ? (cell?.reasons[0] ?? '')
        : p.bestChunkId === null
          ? 'no chunks were retrieved'
          : `no retrieved chunk supports it (nearest: ${p.bestChunkId})`;
    out.push({ claimId: p.claimId, claim: text.get(p.claimId) ?? '', verdict: p.verdict, diagnosis, detail, chunkId: p.bestChunkId });
  }
  return out;
}
