/**
 * A run's performance block: per-stage latency p50/p95/p99 (nearest rank: a latency some request
 * really had), tokens, and cost per 1,000 requests. Offline models cost 0 but their tokens still
 * count, so a switch to a paid model can be priced from an offline run.
 */
import type { JsonObject } from '../../core/json.ts';
import { percentiles } from '../stats/percentiles.ts';
import type { CaseResult } from '../types.ts';

/** The performance summary of a run's case results (errored cases count as requests, not latencies). */
export function performanceOf(results: ReadonlyArray<CaseResult & { scoringMs?: number }>): JsonObject {
  const stages = new Map<string, number[]>();
  let input = 0;
  let output = 0;
  let cached = 0;
  let cost = 0;
  let costKnown = 0;
  let errors = 0;
  const scoring: number[] = [];
  for (const r of results) {
    if (r.output.error !== undefined) errors++;
    for (const [stage, ms] of Object.entries(r.output.latencyMs ?? {})) {
      if (!Number.isFinite(ms)) continue;
      let list = stages.get(stage);
      if (!list) stages.set(stage, (list = []));
      list.push(ms);
    }
    if (r.output.usage) {
      input += r.output.usage.inputTokens;
      output += r.output.usage.outputTokens;
      cached += r.output.usage.cachedInputTokens ?? 0;
    }
    if (r.output.costUsd !== undefined) {
      cost += r.output.costUsd;
      costKnown++;
    }
    if (r.scoringMs !== undefined) scoring.push(r.scoringMs);
  }
  const latency: JsonObject = {};
  for (const [stage, values] of stages) {
    const p = percentiles(values);
    if (p) latency[stage] = { p50: round(p.p50), p95: round(p.p95), p99: round(p.p99), n: p.n };
  }
  const requests = results.length;
  const scoringP = percentiles(scoring);
  return {
    requests,
    errors,
    latencyMs: latency,
    tokens: { input, output, cachedInput: cached, total: input + output, perRequest: requests ? round((input + output) / requests) : 0 },
    // Null, not 0, when no case reported a cost (recorded outputs without prices).
    costUsd: costKnown ? { total: cost, per1kRequests: (cost / costKnown) * 1000 } : null,
    ...(scoringP ? { scoringMs: { p50: round(scoringP.p50), p95: round(scoringP.p95), p99: round(scoringP.p99), n: scoringP.n } } : {}),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
