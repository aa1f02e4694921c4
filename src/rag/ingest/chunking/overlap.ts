/**
 * The overlap a chunk carries over from the one before it: trailing context of up to
 * `budget` tokens, in whole units (paragraphs, sentences) where possible, cut into words only
 * when not even the last sentence fits.
 */
import type { RangeTokenCounter } from './range-token-counter.ts';
import { splitSentences, splitWords, type TextRange } from './text-range.ts';
import type { Unit } from './units.ts';

/** Where the next chunk should start so it repeats the tail of units[first..last]; null for none. */
export function overlapStart(units: Unit[], first: number, last: number, budget: number, counter: RangeTokenCounter): number | null {
  if (budget <= 0) return null;
  // Pieces from the end backwards; an estimate first, checked exactly below.
  const pieces: TextRange[] = [];
  let estimate = 0;
  for (let k = last; k >= first; k--) {
    const unit = units[k];
    if (!unit) break;
    if (estimate + unit.tokens <= budget) {
      pieces.push(unit);
      estimate += unit.tokens;
      continue;
    }
    pieces.push(...tailPieces(unit, budget - estimate, pieces.length === 0, counter));
    break;
  }
  const end = units[last]?.end ?? 0;
  // Drop pieces from the front until the real count of the overlap text fits the budget.
  while (pieces.length > 0) {
    const start = pieces[pieces.length - 1]?.start ?? end;
    if (counter.count(start, end) <= budget) return start;
    pieces.pop();
  }
  return null;
}

/** The trailing sentences (or, when `allowWords` and no sentence fits, words) of a unit within `budget`. */
function tailPieces(unit: Unit, budget: number, allowWords: boolean, counter: RangeTokenCounter): TextRange[] {
  if (unit.refine === 'none' || budget <= 0) return [];
  const text = counter.text;
  if (unit.refine === 'sentences') {
    const sentences = splitSentences(text, unit.start, unit.end);
    const taken = takeFromEnd(sentences, budget, counter);
    if (taken.length > 0 || !allowWords) return taken;
    const lastSentence = sentences[sentences.length - 1];
    return lastSentence ? trailingWords(lastSentence, budget, counter) : [];
  }
  return allowWords ? trailingWords(unit, budget, counter) : [];
}

/**
 * Trailing words of a range worth about `budget` tokens, sized by the range's own characters per
 * token rather than by counting word after word; the caller's exact check trims any excess.
 */
function trailingWords(range: TextRange, budget: number, counter: RangeTokenCounter): TextRange[] {
  const tokens = counter.count(range.start, range.end);
  const charsPerToken = (range.end - range.start) / Math.max(tokens, 1);
  const from = range.end - budget * charsPerToken;
  const words = splitWords(counter.text, range.start, range.end);
  const taken: TextRange[] = [];
  for (let k = words.length - 1; k >= 0; k--) {
    const word = words[k];
    if (!word || word.start < from) break;
    taken.push(word);
  }
  return taken;
}

function takeFromEnd(ranges: TextRange[], budget: number, counter: RangeTokenCounter): TextRange[] {
  const taken: TextRange[] = [];
  let used = 0;
  for (let k = ranges.length - 1; k >= 0; k--) {
    const range = ranges[k];
    if (!range) break;
    const tokens = counter.count(range.start, range.end);
    if (used + tokens > budget) break;
    taken.push(range);
    used += tokens;
  }
  return taken;
}
