/**
 * The support-judge interface: every claim of an answer judged against every retrieved chunk
 * separately, so a reader sees which chunk supports or contradicts which claim — and can tell
 * "retrieval missed it" (no chunk supports the claim) from "the generator ignored it". The
 * offline heuristic judge and LLM judges implement the same interface.
 */
import type { JsonObject } from '../../core/json.ts';
import type { EvalContext } from '../types.ts';

/** One atomic, checkable statement taken from an answer. */
export interface Claim {
  /** Stable within one answer: "c1", "c2", … in answer order. */
  id: string;
  /** The claim with citation markers removed. */
  text: string;
  /** Index of the answer sentence the claim comes from (splitSentences; a colon ending a line also ends one). */
  sentenceIndex: number;
  /** Character offsets of the claim in the answer text: answer.slice(start, end). */
  span: [number, number];
}

export type SupportVerdict = 'supported' | 'contradicted' | 'unsupported';

/** The passage of a chunk a verdict rests on; start/end index into the chunk's text. */
export interface EvidenceSpan {
  text: string;
  start: number;
  end: number;
}

/** The verdict of one claim against one chunk. */
export interface AttributionCell {
  claimId: string;
  chunkId: string;
  verdict: SupportVerdict;
  /** How sure the judge is of this verdict, in [0, 1]. */
  confidence: number;
  evidence?: EvidenceSpan;
  /** Why, in short phrases a person can check ("number 160 million not in the evidence"). */
  reasons: string[];
}

/** The verdict of one claim against all chunks together. */
export interface ClaimVerdict {
  claimId: string;
  /** supported if any chunk supports it; else contradicted if any chunk contradicts it; else unsupported. */
  verdict: SupportVerdict;
  /** The chunk the verdict rests on (for unsupported: the nearest miss); null when there are no chunks. */
  bestChunkId: string | null;
  confidence: number;
}

/** Claims × chunks: one cell per pair, plus one verdict per claim. */
export interface AttributionGrid {
  claims: Claim[];
  cells: AttributionCell[];
  /** A verdict for every claim the judge could decide. */
  perClaim: ClaimVerdict[];
  /**
   * Claims (or single cells) the judge could not decide, with why — e.g. an LLM judge whose
   * replies stayed invalid. Such claims have no entry in perClaim and are never counted as 0.
   */
  undetermined?: Array<{ claimId: string; chunkId: string | null; reason: string }>;
}

/** Judges claims against retrieved chunks. */
export interface SupportJudge {
  readonly name: string;
  /** Bumped whenever verdicts may change, so cached judgements and calibrations name what made them. */
  readonly version: string;
  /** 'heuristic' judges are rules; reports label them so. */
  readonly kind: 'heuristic' | 'llm';
  judge(claims: Claim[], contexts: EvalContext[]): Promise<AttributionGrid>;
}

/** The grid as plain JSON, for a Score's evidence and stored runs. */
export function attributionGridToJson(grid: AttributionGrid): JsonObject {
  return {
    claims: grid.claims.map((c) => ({ id: c.id, text: c.text, sentenceIndex: c.sentenceIndex, span: [c.span[0], c.span[1]] })),
    cells: grid.cells.map((cell) => ({
      claimId: cell.claimId,
      chunkId: cell.chunkId,
      verdict: cell.verdict,
      confidence: cell.confidence,
      ...(cell.evidence ? { evidence: { text: cell.evidence.text, start: cell.evidence.start, end: cell.evidence.end } } : {}),
      reasons: [...cell.reasons],
    })),
    perClaim: grid.perClaim.map((p) => ({ claimId: p.claimId, verdict: p.verdict, bestChunkId: p.bestChunkId, confidence: p.confidence })),
    ...(grid.undetermined?.length ? { undetermined: grid.undetermined.map((u) => ({ claimId: u.claimId, chunkId: u.chunkId, reason: u.reason })) } : {}),
  };
}

/** Who judged, for reports: a heuristic judge is labelled as one. */
export function judgeLabel(judge: SupportJudge): JsonObject {
  return { name: judge.name, version: judge.version, kind: judge.kind };
}
