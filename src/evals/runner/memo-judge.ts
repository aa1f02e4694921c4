/**
 * A per-case memo around a support judge. Faithfulness and citation accuracy both judge the
 * answer's claims against the same retrieved chunks; without the memo every cell is judged twice
 * (measured on COVID-QA: citation accuracy cost ~35 ms of ~80 ms per case). A cell is reused only
 * for the same claim text against the same list of contexts, so verdicts are exactly those the
 * judge would give again (judges are deterministic by contract: cached by version and input).
 */
import type { AttributionCell, AttributionGrid, Claim, ClaimVerdict, SupportJudge } from '../judges/judge.ts';
import type { EvalContext } from '../types.ts';

interface Judged {
  cells: AttributionCell[];
  verdict: ClaimVerdict;
}

/** Wraps `judge` so repeated (claim text, contexts) judgements are computed once. Use one per case. */
export function memoizeJudge(judge: SupportJudge): SupportJudge {
  const memo = new Map<string, Map<string, Judged>>();
  return {
    name: judge.name,
    version: judge.version,
    kind: judge.kind,
    async judge(claims: Claim[], contexts: EvalContext[]): Promise<AttributionGrid> {
      const key = contexts.map((c) => `${c.chunkId}\u0001${c.text.length}`).join('\u0002');
      let byText = memo.get(key);
      if (!byText) memo.set(key, (byText = new Map()));
      const missing = claims.filter((c) => !byText.has(c.text));
      if (missing.length > 0) {
        const grid = await judge.judge(missing, contexts);
        for (const claim of missing) {
          const verdict = grid.perClaim.find((v) => v.claimId === claim.id);
          if (verdict) byText.set(claim.text, { cells: grid.cells.filter((cell) => cell.claimId === claim.id), verdict });
        }
      }
      const cells: AttributionCell[] = [];
      const perClaim: ClaimVerdict[] = [];
      for (const claim of claims) {
        const judged = byText.get(claim.text);
        if (!judged) continue;
        for (const cell of judged.cells) cells.push({ ...cell, claimId: claim.id });
        perClaim.push({ ...judged.verdict, claimId: claim.id });
      }
      return { claims, cells, perClaim };
    },
  };
}
