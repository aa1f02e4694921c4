/** Packs a section's units into chunks of at most maxTokens, each after the first opening with overlap. */
import type { ChunkDraft } from '../../../core/document.ts';
import { overlapStart } from './overlap.ts';
import type { RangeTokenCounter } from './range-token-counter.ts';
import type { Unit } from './units.ts';

export interface PackOptions {
  maxTokens: number;
  overlapTokens: number;
  headingPath: string[];
}

/**
 * Greedy packing on summed unit counts (plus one token per line-break gap, where BPE merges
 * differ), then one exact count of the chunk text; an overshoot drops the last unit.
 */
export function packUnits(units: Unit[], counter: RangeTokenCounter, options: PackOptions): ChunkDraft[] {
  const { maxTokens, overlapTokens } = options;
  const text = counter.text;
  const chunks: ChunkDraft[] = [];
  let first = 0;
  let carried: number | null = null;

  while (first < units.length) {
    const firstUnit = units[first];
    if (!firstUnit) break;
    let start = carried ?? firstUnit.start;
    let estimate = firstUnit.tokens + (carried === null ? 0 : counter.count(carried, firstUnit.start));
    if (estimate > maxTokens) {
      start = firstUnit.start;
      estimate = firstUnit.tokens;
    }
    let last = first;
    for (let next = units[last + 1]; next; next = units[last + 1]) {
      const grown = estimate + gapCost(text, units[last]?.end ?? next.start, next.start) + next.tokens;
      if (grown > maxTokens) break;
      estimate = grown;
      last++;
    }

    let tokens = counter.count(start, units[last]?.end ?? start);
    while (tokens > maxTokens) {
      if (last > first) last--;
      else if (start !== firstUnit.start) start = firstUnit.start;
      else break; // one unit alone always fits: units are cut to maxTokens
      tokens = counter.count(start, units[last]?.end ?? start);
    }

    const end = units[last]?.end ?? start;
    chunks.push({ text: text.slice(start, end), headingPath: options.headingPath, charStart: start, charEnd: end, tokenCount: tokens });
    // The overlap shrinks to leave room for the next unit rather than being dropped for it.
    const nextUnit = units[last + 1];
    carried = nextUnit ? overlapStart(units, first, last, Math.min(overlapTokens, maxTokens - nextUnit.tokens - 1), counter) : null;
    first = last + 1;
  }
  return chunks;
}

/** Tokens a gap between units is likely to add: a line break may merge with punctuation before it. */
function gapCost(text: string, from: number, to: number): number {
  return text.slice(from, to).includes('\n') ? 1 : 0;
}
