/**
 * The shared vocabulary of plumb's evaluation: golden cases, what a system produced for them,
 * per-case results, and runs.
 */
import type { JsonObject } from '../core/json.ts';
import type { Score } from '../core/score.ts';
import type { Usage } from '../core/usage.ts';

/** One labelled question of a golden set (one line of a golden JSONL file). */
export interface GoldenCase {
  id: string;
  question: string;
  /** The answer a good system gives. */
  referenceAnswer?: string;
  /** Documents that answer the question, with graded relevance (1 when not graded). */
  relevantDocumentIds?: Record<string, number>;
  relevantChunkIds?: string[];
  /** Passages (text) that contain the answer, when ids are unknown (e.g. synthetic sets). */
  goldPassages?: string[];
  /** True when the corpus holds no answer: the right output is to abstain. */
  unanswerable?: boolean;
  tags?: string[];
  metadata?: JsonObject;
}

/** A golden set as loaded: its cases plus the content hash that names this exact data. */
export interface GoldenSet {
  name: string;
  /** sha256 over the canonical JSON of the cases: every run records it. */
  contentHash: string;
  cases: GoldenCase[];
  /** Lines that could not be read (reported, skipped unless --strict). */
  problems: Array<{ line: number; message: string }>;
}

/** One retrieved context chunk as evaluation sees it. */
export interface EvalContext {
  chunkId: string;
  documentId: string;
  text: string;
  score?: number;
}

/** What the system under test produced for one case (live, or recorded earlier). */
export interface SystemOutput {
  caseId: string;
  answer: string;
  contexts: EvalContext[];
  /** Passage numbers cited in the answer, per sentence: sentence index → chunk ids. */
  citations?: Array<{ sentence: string; chunkIds: string[] }>;
  abstained?: boolean;
  usage?: Usage;
  costUsd?: number;
  /** Per stage, e.g. { retrieve: 3.1, generate: 840 }. */
  latencyMs?: Record<string, number>;
  traceId?: string;
  error?: string;
}

/** Everything measured for one case. */
export interface CaseResult {
  caseId: string;
  question: string;
  output: SystemOutput;
  scores: Score[];
}

/** A mean (or other aggregate) with its bootstrap 95% confidence interval. */
export interface Aggregate {
  metric: string;
  mean: number | null;
  ci95: [number, number] | null;
  /** Cases with a determined value. */
  n: number;
  undetermined: number;
}

export interface EvalRunSummary {
  id: string;
  name: string;
  createdAt: string;
  goldenSet: { name: string; contentHash: string; cases: number };
  /** What was evaluated: models, retrieval settings, judge versions. */
  config: JsonObject;
  aggregates: Aggregate[];
  /** Latency percentiles per stage, tokens, and cost per 1,000 requests. */
  performance: JsonObject;
  status: 'running' | 'completed' | 'failed';
}
