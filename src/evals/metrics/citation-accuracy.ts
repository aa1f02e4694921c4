/**
 * Citation accuracy: of the (sentence, cited chunk) pairs in an answer, the share where the cited
 * chunk supports the citing sentence. A sentence citing two chunks often draws one fact from each,
 * so a pair counts as accurate when its chunk supports at least one of the sentence's claims and
 * contradicts none. Citing a chunk that was not retrieved is inaccurate.
 */
import type { JsonObject } from '../../core/json.ts';
import { scored, undetermined, type Score } from '../../core/score.ts';
import { stripCitationMarkers } from '../../rag/answer/citations.ts';
import { splitSentences } from '../../text/sentences.ts';
import { decomposeClaims } from '../claims/decompose-claims.ts';
import { judgeLabel, type Claim, type SupportJudge } from '../judges/judge.ts';
import type { EvalContext } from '../types.ts';

export interface SentenceCitations {
  sentence: string;
  chunkIds: string[];
}

/** Share of cited (sentence, chunk) pairs whose chunk supports the sentence; undetermined when nothing is cited. */
export async function citationAccuracy(answer: string, citations: SentenceCitations[], contexts: EvalContext[], judge: SupportJudge): Promise<Score> {
  const method = judge.kind;
  const cited = citations.filter((c) => c.chunkIds.length > 0);
  if (cited.length === 0) return undetermined('citation_accuracy', 'the answer cites no chunk', { method, evidence: { judge: judgeLabel(judge) } });

  // All claims of all citing sentences, judged once against all contexts.
  const claims: Claim[] = [];
  const answerSentences = splitSentences(answer);
  const claimsOf = cited.map((c, i) => {
    const offset = answer.indexOf(c.sentence);
    const sentenceIndex = offset === -1 ? i : Math.max(0, answerSentences.findIndex((s) => offset >= s.start && offset < s.end));
    const own = claimsOfSentence(c.sentence, sentenceIndex, claims.length, Math.max(0, offset));
    claims.push(...own);
    return own;
  });
  const grid = await judge.judge(claims, contexts);
  const known = new Set(contexts.map((c) => c.chunkId));

  const pairs: JsonObject[] = [];
  let accurate = 0;
  cited.forEach((c, i) => {
    const ids = new Set(claimsOf[i]!.map((claim) => claim.id));
    for (const chunkId of new Set(c.chunkIds)) {
      let ok = false;
      let why: string;
      if (!known.has(chunkId)) why = 'cites a chunk that was not retrieved';
      else if (ids.size === 0) why = 'the sentence makes no checkable claim';
      else {
        const cells = grid.cells.filter((cell) => cell.chunkId === chunkId && ids.has(cell.claimId));
        const supports = cells.filter((cell) => cell.verdict === 'supported').map((cell) => cell.claimId);
        const contradicts = cells.filter((cell) => cell.verdict === 'contradicted');
        ok = supports.length > 0 && contradicts.length === 0;
        why = contradicts.length > 0 ? `the chunk contradicts it: ${contradicts[0]!.reasons[0] ?? ''}` : ok ? `supports claims ${supports.join(', ')}` : 'the chunk supports none of its claims';
      }
      if (ok) accurate++;
      pairs.push({ sentence: c.sentence, chunkId, accurate: ok, reason: why });
    }
  });
  return scored('citation_accuracy', accurate / pairs.length, `${accurate} of ${pairs.length} citations point to a chunk that supports the citing sentence (${judge.kind} judge ${judge.name} ${judge.version})`, {
    method,
    evidence: { judge: judgeLabel(judge), pairs },
  });
}

function claimsOfSentence(sentence: string, sentenceIndex: number, idOffset: number, offset: number): Claim[] {
  return decomposeClaims(sentence).map((claim, k) => ({
    ...claim,
    id: `c${idOffset + k + 1}`,
    sentenceIndex,
    span: [claim.span[0] + offset, claim.span[1] + offset] as [number, number],
    text: stripCitationMarkers(claim.text),
  }));
}
