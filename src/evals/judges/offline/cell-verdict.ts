/**
 * One claim against one chunk: pick the evidence window that best matches the claim, score the
 * support (IDF-weighted coverage of the claim's content words plus SIF similarity), then apply
 * the hard checks — a different number or the opposite polarity in on-topic evidence is a
 * contradiction; a number or name the chunk never mentions leaves the claim unsupported.
 */
import type { AttributionCell } from '../judge.ts';
import type { ClaimFeatures } from './claim-features.ts';
import type { EvidenceWindow, IndexedChunk } from './context-index.ts';
import { mentionsEntity } from '../../../text/entities.ts';
import { checkNumbers, sameQuantity } from '../../../text/numbers.ts';
import { polarityConflict } from '../../../text/polarity.ts';
import { weightedCoverage, type TermWeights } from './term-weights.ts';

export interface SupportThresholds {
  /** Support score at or above which a claim is supported (absent hard-check failures). */
  support: number;
  /** Support score above which the evidence is on the claim's topic, so a conflict is a contradiction. */
  topic: number;
}

export const DEFAULT_THRESHOLDS: SupportThresholds = { support: 0.6, topic: 0.45 };

// Weights of the support score; set a priori (not tuned on FaithBench) and kept in the version.
const WINDOW_COVERAGE_WEIGHT = 0.6;
const SIMILARITY_WEIGHT = 0.4;
const WINDOW_WEIGHT = 0.75;
const CHUNK_COVERAGE_WEIGHT = 0.25;
// A number or name that is in the chunk but not in the evidence window: likely merged from elsewhere.
const OUTSIDE_WINDOW_PENALTY = 0.05;

/** A cell plus the support score behind it (kept for choosing each claim's best chunk). */
export interface ScoredCell {
  cell: AttributionCell;
  support: number;
}

/** Judges one claim against one indexed chunk. */
export function judgeCell(claim: ClaimFeatures, chunk: IndexedChunk, weights: TermWeights, thresholds: SupportThresholds): ScoredCell {
  const best = bestWindow(claim, chunk.windows, weights);
  const chunkCoverage = weightedCoverage(claim.terms, chunk.terms, weights).coverage;
  let support = WINDOW_WEIGHT * best.score + CHUNK_COVERAGE_WEIGHT * chunkCoverage;
  const reasons = [
    `covers ${pct(best.coverage)} of the claim's content words (IDF-weighted; ${pct(chunkCoverage)} over the whole chunk)`,
    `similarity ${best.similarity.toFixed(2)}`,
  ];
  if (best.missing.length > 0) reasons.push(`words not in the evidence: ${best.missing.slice(0, 6).join(', ')}`);

  const conflicts: string[] = [];
  const absent: string[] = [];
  const window = best.window;
  const numbers = checkNumbers(claim.numbers, window?.numbers ?? []);
  for (const n of numbers.missing) {
    if (chunk.numbers.some((c) => sameQuantity(n, c))) support -= OUTSIDE_WINDOW_PENALTY;
    else absent.push(`number ${n.text} is not in the chunk`);
  }
  for (const { claim: n, evidence } of numbers.conflicting) {
    if (chunk.numbers.some((c) => sameQuantity(n, c))) support -= OUTSIDE_WINDOW_PENALTY;
    else conflicts.push(`claim says ${n.text}, evidence says ${evidence.text}`);
  }
  for (const entity of claim.entities) {
    if (window && mentionsEntity(window.entityWords, entity)) continue;
    if (mentionsEntity(chunk.entityWords, entity)) support -= OUTSIDE_WINDOW_PENALTY;
    else absent.push(`"${entity.text}" is not in the chunk`);
  }
  const polarity = window ? polarityConflict(claim.words, window.words) : null;
  if (polarity) conflicts.push(polarity);
  support = Math.max(0, Math.min(1, support));

  const evidence = window ? { text: window.text, start: window.start, end: window.end } : undefined;
  const base = { claimId: claim.claim.id, chunkId: chunk.context.chunkId, ...(evidence ? { evidence } : {}) };
  if (conflicts.length > 0 && support >= thresholds.topic) {
    return { support: 0, cell: { ...base, verdict: 'contradicted', confidence: round(Math.min(0.95, 0.5 + 0.5 * support)), reasons: [...conflicts, ...absent, ...reasons] } };
  }
  // An off-topic conflict is only a missing fact: the evidence talks about something else.
  absent.push(...conflicts.map((c) => `${c} (evidence is off-topic)`));
  if (absent.length > 0) {
    return { support: support * 0.5, cell: { ...base, verdict: 'unsupported', confidence: round(Math.max(0.75, 1 - support / 2)), reasons: [...absent, ...reasons] } };
  }
  if (support >= thresholds.support) {
    return { support, cell: { ...base, verdict: 'supported', confidence: round(0.5 + (0.5 * (support - thresholds.support)) / (1 - thresholds.support)), reasons } };
  }
  return { support, cell: { ...base, verdict: 'unsupported', confidence: round(0.5 + (0.5 * (thresholds.support - support)) / thresholds.support), reasons } };
}

interface WindowMatch {
  window: EvidenceWindow | undefined;
  score: number;
  coverage: number;
  similarity: number;
  missing: string[];
}

function bestWindow(claim: ClaimFeatures, windows: readonly EvidenceWindow[], weights: TermWeights): WindowMatch {
  let best: WindowMatch = { window: undefined, score: 0, coverage: 0, similarity: 0, missing: [...claim.terms] };
  for (const window of windows) {
    const { coverage, missing } = weightedCoverage(claim.terms, window.terms, weights);
    const similarity = claim.vector && window.vector ? dot(claim.vector, window.vector) : 0;
    const score = WINDOW_COVERAGE_WEIGHT * coverage + SIMILARITY_WEIGHT * Math.max(0, similarity);
    // Ties go to the shorter (earlier) window: the tightest evidence span.
    if (best.window === undefined || score > best.score + 1e-9) best = { window, score, coverage, similarity, missing };
  }
  return best;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function round(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
