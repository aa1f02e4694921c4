/**
 * N judge samples → one verdict. The majority wins and the share of samples that agree with it
 * is reported, so a reader can tell a unanimous verdict from a 2-of-3 one; a tie for first place
 * is undetermined rather than broken by order or by a default.
 */

export type Vote<T> =
  | { decided: true; value: T; agreement: number; votes: number; counts: Record<string, number> }
  | { decided: false; reason: string; votes: number; counts: Record<string, number> };

/** The majority of `values` (compared by `key`), with agreement = winners / votes. */
export function majorityVote<T>(values: T[], key: (value: T) => string = String): Vote<T> {
  const counts: Record<string, number> = {};
  const firstOf = new Map<string, T>();
  for (const value of values) {
    const k = key(value);
    counts[k] = (counts[k] ?? 0) + 1;
    if (!firstOf.has(k)) firstOf.set(k, value);
  }
  const ranked = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  if (top === undefined) return { decided: false, reason: 'no sample gave a usable answer', votes: 0, counts };
  const tied = ranked.filter(([, n]) => n === top[1]);
  if (tied.length > 1) {
    return { decided: false, reason: `samples tied ${tied.map(([k, n]) => `${n}× ${k}`).join(' vs ')}`, votes: values.length, counts };
  }
  return { decided: true, value: firstOf.get(top[0]) as T, agreement: top[1] / values.length, votes: values.length, counts };
}
