/**
 * Hallucination detection with a support judge: each row's answer is decomposed into claims,
 * judged against the row's context (one chunk), and called hallucinated by a detector over the
 * grid. Returns the classification report (hallucinated = positive) and the per-row judgements
 * that explain it.
 */
import { decomposeClaims } from '../claims/decompose-claims.ts';
import type { AttributionGrid, SupportJudge } from '../judges/judge.ts';
import { classificationReport, type ClassificationReport } from '../stats/classification.ts';
import { ANY_UNSUPPORTED_CLAIM, hallucinationScore, type DetectorSettings } from './grid-score.ts';
import type { HallucinationRow } from './read-hallucination-rows.ts';

export interface JudgedRow {
  row: HallucinationRow;
  grid: AttributionGrid;
}

export interface RowPrediction {
  line: number;
  hallucinated: boolean;
  predicted: boolean;
  score: number;
  claims: number;
}

export interface DetectionResult {
  report: ClassificationReport;
  detector: DetectorSettings;
  predictions: RowPrediction[];
}

/** Judges every row's answer against its context, in order. */
export async function judgeRows(rows: readonly HallucinationRow[], judge: SupportJudge, onRow?: (done: number) => void): Promise<JudgedRow[]> {
  const judged: JudgedRow[] = [];
  for (const row of rows) {
    const grid = await judge.judge(decomposeClaims(row.answer), [{ chunkId: `line-${row.line}`, documentId: `line-${row.line}`, text: row.context }]);
    judged.push({ row, grid });
    onRow?.(judged.length);
  }
  return judged;
}

/** Scores a detector on judged rows. */
export function detectHallucinations(judged: readonly JudgedRow[], detector: DetectorSettings = ANY_UNSUPPORTED_CLAIM): DetectionResult {
  const predictions = judged.map(({ row, grid }) => {
    const score = hallucinationScore(grid, detector.aggregator);
    return { line: row.line, hallucinated: row.hallucinated, predicted: score > detector.threshold, score, claims: grid.claims.length };
  });
  return {
    report: classificationReport(predictions.map((p) => p.predicted), predictions.map((p) => p.hallucinated)),
    detector,
    predictions,
  };
}
