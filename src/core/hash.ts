import { createHash } from 'node:crypto';

/** Hex sha256 of a string, for content hashes and key hashes. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
