/**
 * The result of one metric on one case. A score that could not be determined says so
 * (`value: null` with a reason); it is never NaN, 0 or 1 by accident.
 */
import type { JsonValue } from './json.ts';

export interface Score {
  /** Metric name, e.g. "faithfulness", "ndcg@10", "token_f1". */
  name: string;
  /** In [0, 1] unless the metric says otherwise (latency in ms, cost in USD); null = undetermined. */
  value: number | null;
  /** Why this value (or why it could not be determined), in a sentence a person can check. */
  reason: string;
  /** What the value rests on: claims, spans, chunk ids, judge outputs. */
  evidence?: JsonValue;
  /** Who produced it: "heuristic" (offline rules), "llm" (a judge model) or "exact" (arithmetic). */
  method?: 'exact' | 'heuristic' | 'llm';
}

/** A determined score. */
export function scored(name: string, value: number, reason: string, extra: Pick<Score, 'evidence' | 'method'> = {}): Score {
  if (!Number.isFinite(value)) return undetermined(name, `computed a non-finite value (${value}): ${reason}`, extra);
  return { name, value, reason, ...extra };
}

/** A score that could not be determined, with the reason. */
export function undetermined(name: string, reason: string, extra: Pick<Score, 'evidence' | 'method'> = {}): Score {
  return { name, value: null, reason, ...extra };
}
