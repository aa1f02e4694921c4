/**
 * The content hash that names a golden set: every run records it, so a result always says which
 * exact data it came from. Case order does not matter (metrics are per case); any change to any
 * case's content does.
 */
import { sha256 } from '../../core/hash.ts';
import type { GoldenCase } from '../types.ts';
import { canonicalJson } from './canonical-json.ts';

// Bumped if the canonical form ever changes, so old and new hashes can never collide by accident.
const HASH_FORMAT = 'plumb-golden-v1';

/** sha256 (hex) of the canonical JSON of the cases, independent of case and key order. */
export function contentHashOf(cases: readonly GoldenCase[]): string {
  const lines = cases.map((c) => canonicalJson(c)).sort();
  return sha256(`${HASH_FORMAT}\n${lines.join('\n')}`);
}
