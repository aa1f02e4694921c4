/**
 * A small seeded pseudo-random generator (mulberry32), so bootstrap intervals and permutation
 * p-values come out the same on every run of the same data: a report can be re-derived and a CI
 * gate does not flap on resampling noise. Not for anything security-related.
 */

/** Draws a uniform number in [0, 1). */
export type Random = () => number;

/** The seed every statistic uses when the caller gives none ("plum" in ASCII). */
export const DEFAULT_SEED = 0x706c756d;

/** A seeded uniform generator; string seeds are hashed (FNV-1a) to 32 bits. */
export function seededRandom(seed: number | string = DEFAULT_SEED): Random {
  let state = typeof seed === 'string' ? fnv1a(seed) : seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
