/**
 * The case result as stored (one row per case, written as soon as it is scored) and as exported:
 * the CaseResult plus what a report needs to show it without the golden file (reference answer,
 * tags) and how long scoring took.
 */
import type { JsonObject } from '../../core/json.ts';
import type { CaseResult, GoldenCase } from '../types.ts';

export interface StoredCaseResult extends CaseResult {
  referenceAnswer?: string;
  unanswerable?: boolean;
  tags?: string[];
  /** Milliseconds spent scoring (metrics + judge), for the evaluator's own throughput. */
  scoringMs?: number;
}

/** The stored form of a result. */
export function toStored(result: CaseResult, golden: GoldenCase, scoringMs: number): StoredCaseResult {
  return {
    ...result,
    ...(golden.referenceAnswer !== undefined ? { referenceAnswer: golden.referenceAnswer } : {}),
    ...(golden.unanswerable ? { unanswerable: true } : {}),
    ...(golden.tags?.length ? { tags: golden.tags } : {}),
    scoringMs,
  };
}

/** JSON for the store: the shape is plain data already, the cast only satisfies JsonObject's index signature. */
export function asJson(result: StoredCaseResult): JsonObject {
  return JSON.parse(JSON.stringify(result)) as JsonObject;
}

/** A stored row back as a result; rows are our own writes, so a light shape check suffices. */
export function fromJson(row: JsonObject): StoredCaseResult {
  const r = row as unknown as StoredCaseResult;
  if (typeof r.caseId !== 'string' || !Array.isArray(r.scores) || typeof r.output !== 'object') {
    throw new Error(`stored case result is not in the expected shape (caseId ${String(r.caseId)})`);
  }
  return r;
}
