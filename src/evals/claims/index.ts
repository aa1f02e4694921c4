/** Claim decomposition: answers → atomic, checkable claims with spans. */
export { decomposeAnswer, decomposeClaims, type Decomposition, type SkippedSentence } from './decompose-claims.ts';
export { splitClauses, type ClausePiece } from './clause-splitter.ts';
export { nonClaimReason, type NonClaimReason } from './non-claims.ts';
export type { Claim } from '../judges/judge.ts';
