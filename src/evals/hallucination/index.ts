/** Hallucination detection: labelled (context, answer) rows, a support judge, a detector over its grid. */
export { parseHallucinationJsonl, readHallucinationFile, type HallucinationData, type HallucinationRow, type ReadOptions } from './read-hallucination-rows.ts';
export { ANY_UNSUPPORTED_CLAIM, claimUnsupportedness, GRID_AGGREGATORS, hallucinationScore, isHallucinated, type DetectorSettings, type GridAggregator } from './grid-score.ts';
export { crossValidateDetector, fitDetector, stratifiedFolds, type CrossValidation, type FoldResult } from './fit-detector.ts';
export { detectHallucinations, judgeRows, type DetectionResult, type JudgedRow, type RowPrediction } from './evaluate-detection.ts';
