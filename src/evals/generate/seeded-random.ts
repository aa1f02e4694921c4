/** Seeded shuffling for the generators, on the same PRNG the statistics use. */
import { seededRandom, type Random } from '../stats/seeded-random.ts';

export { seededRandom, type Random };

/** A shuffled copy (Fisher–Yates) driven by `random`. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
