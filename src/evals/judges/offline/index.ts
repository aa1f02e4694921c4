/** The offline heuristic support judge and the checks it is made of. */
export { createOfflineJudge, OfflineSupportJudge, OFFLINE_JUDGE_VERSION, type OfflineJudgeOptions } from './offline-judge.ts';
export { DEFAULT_THRESHOLDS, type SupportThresholds } from './cell-verdict.ts';
export { checkNumbers, extractNumbers, sameQuantity, type NumberCheck, type NumberKind, type NumberMention } from '../../../text/numbers.ts';
export { entityIndex, extractEntities, mentionsEntity, type EntityIndex, type EntityMention } from '../../../text/entities.ts';
export { polarityConflict, polarityWords, type PolarityWords } from '../../../text/polarity.ts';
