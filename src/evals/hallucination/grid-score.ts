/**
 * From an attribution grid to one hallucination score per answer. The offline judge's verdict
 * per claim comes with a confidence; "unsupportedness" puts both on one scale (above 0.5 = not
 * supported), and an aggregator turns the claims' values into the answer's score.
 */
import type { AttributionGrid } from '../judges/judge.ts';

export const GRID_AGGREGATORS = ['max-unsupportedness', 'mean-unsupportedness', 'unsupported-share', 'unsupported-count'] as const;
export type GridAggregator = (typeof GRID_AGGREGATORS)[number];

/** How to call an answer hallucinated: its aggregated score above a threshold. */
export interface DetectorSettings {
  aggregator: GridAggregator;
  threshold: number;
}

/** Hallucinated when any claim is not supported — the a-priori rule, nothing tuned. */
export const ANY_UNSUPPORTED_CLAIM: DetectorSettings = { aggregator: 'max-unsupportedness', threshold: 0.5 };

/** Each claim's unsupportedness in [0, 1]: above 0.5 when its verdict is not "supported". */
export function claimUnsupportedness(grid: AttributionGrid): number[] {
  return grid.perClaim.map((p) => (p.verdict === 'supported' ? 1 - p.confidence : p.confidence));
}

/** The answer's hallucination score under `aggregator` (0 when it makes no claim: nothing was asserted). */
export function hallucinationScore(grid: AttributionGrid, aggregator: GridAggregator): number {
  const values = claimUnsupportedness(grid);
  if (values.length === 0) return 0;
  const unsupported = values.filter((v) => v > 0.5).length;
  switch (aggregator) {
    case 'max-unsupportedness':
      return Math.max(...values);
    case 'mean-unsupportedness':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'unsupported-share':
      return unsupported / values.length;
    case 'unsupported-count':
      return unsupported;
  }
}

/** Whether the detector calls the answer hallucinated. */
export function isHallucinated(grid: AttributionGrid, detector: DetectorSettings): boolean {
  return hallucinationScore(grid, detector.aggregator) > detector.threshold;
}
