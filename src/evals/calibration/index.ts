/** Judge calibration: a judge's agreement with human hallucination labels, stored per judge version. */
export { calibrateJudge, labelledDataHash, type CalibrateOptions, type JudgeCalibration, type LabelledRow, type RowPrediction } from './calibrate-judge.ts';
export { describeCalibration, getCalibration, saveCalibration } from './stored-calibration.ts';
