/**
 * Numbers as values, so "$181,674,817", "$ 181,674,817" and "181.7 million dollars" compare
 * equal, "20%" and "20 percent" too, and a claim's "$150 million" is caught against evidence
 * saying "$160 million". Each number keeps the precision it was written with: "about 182
 * million" matches 181,674,817, "182,000,000" does not.
 */

export type NumberKind = 'money' | 'percent' | 'year' | 'plain';

export interface NumberMention {
  value: number;
  kind: NumberKind;
  /** How far off the true value this mention may be: a unit of its last digit when rounded ("1.5 million"), 0.5 when written out. */
  tolerance: number;
  /** As written, for reasons. */
  text: string;
  /** Written as a word ("two"): often a count the writer derived ("two films"), not a figure copied. */
  spelled: boolean;
}

const SCALES: Record<string, number> = {
  thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9, b: 1e9, trillion: 1e12,
};
// Spelled numbers; "one" is left out because it is a pronoun far more often ("one of the…").
const WORD_NUMBERS: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80,
  ninety: 90, hundred: 100, dozen: 12, half: 0.5, twice: 2, double: 2, triple: 3,
};

const NUMBER =
  /([$€£¥]\s?)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(thousand|million|billion|trillion|bn|mn|[kmb])\b)?(?:\s?(%|percent\b|per cent\b))?(?:st|nd|rd|th|s)?/gi;
const WORD_NUMBER = new RegExp(`\\b(${Object.keys(WORD_NUMBERS).join('|')})\\b(?:\\s(thousand|million|billion))?`, 'gi');

/** Every number mentioned in `text`. */
export function extractNumbers(text: string): NumberMention[] {
  const mentions: NumberMention[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const [whole, currency, digits = '', decimals = '', scaleWord, percent] = m;
    // Part of a word or code ("covid19", "A4"): not a quantity anyone states.
    const before = text[m.index - 1] ?? ' ';
    if (/[\p{L}]/u.test(before) || (scaleWord?.length === 1 && /\p{L}/u.test(text[m.index + whole.length] ?? ''))) continue;
    const scale = scaleWord ? (SCALES[scaleWord.toLowerCase()] ?? 1) : 1;
    const base = Number(digits.replace(/,/g, '') + decimals);
    // "180000000" written out is exact; decimals and scale words express rounding — or truncation
    // ("over $181 million" for 181,674,817), so they get a whole unit of the last digit either way.
    const lastDigitUnit = decimals ? 10 ** -(decimals.length - 1) : 1;
    const rounded = decimals !== '' || scaleWord !== undefined;
    const value = base * scale;
    const kind: NumberKind = currency ? 'money' : percent ? 'percent' : !scaleWord && !decimals && /^\d{4}$/.test(digits) && base >= 1000 && base <= 2100 ? 'year' : 'plain';
    mentions.push({ value, kind, tolerance: rounded ? lastDigitUnit * scale : 0.5, text: whole.trim(), spelled: false });
  }
  for (const m of text.matchAll(WORD_NUMBER)) {
    const word = (m[1] ?? '').toLowerCase();
    const scale = m[2] ? (SCALES[m[2].toLowerCase()] ?? 1) : 1;
    const value = (WORD_NUMBERS[word] ?? 0) * scale;
    mentions.push({ value, kind: 'plain', tolerance: scale > 1 ? scale / 2 : 0, text: m[0], spelled: scale === 1 });
  }
  return mentions;
}

/** Whether two mentions can name the same quantity (allowing for the rounding either was written with). */
export function sameQuantity(a: NumberMention, b: NumberMention): boolean {
  return Math.abs(a.value - b.value) <= Math.max(a.tolerance, b.tolerance) + 1e-9 * Math.abs(a.value);
}

/** What the evidence says about each number of the claim. */
export interface NumberCheck {
  /** Claim numbers found in the evidence. */
  matched: NumberMention[];
  /** Claim numbers the evidence does not state, while stating another number of the same kind. */
  conflicting: Array<{ claim: NumberMention; evidence: NumberMention }>;
  /** Claim numbers the evidence neither states nor contradicts (spelled counts excepted). */
  missing: NumberMention[];
}

/** Compares the numbers of a claim with those of its evidence. */
export function checkNumbers(claimNumbers: NumberMention[], evidenceNumbers: NumberMention[]): NumberCheck {
  const check: NumberCheck = { matched: [], conflicting: [], missing: [] };
  for (const n of claimNumbers) {
    if (evidenceNumbers.some((e) => sameQuantity(n, e))) check.matched.push(n);
    else if (n.spelled) {
      // "two films" is usually counted from the evidence, not copied: only a spelled rival ("seven films") conflicts.
      const rival = evidenceNumbers.find((e) => e.spelled && e.value !== n.value);
      if (rival) check.conflicting.push({ claim: n, evidence: rival });
    } else {
      const rival = evidenceNumbers.find((e) => e.kind === n.kind && (n.kind !== 'plain' || magnitudeClose(n, e)));
      if (rival) check.conflicting.push({ claim: n, evidence: rival });
      else check.missing.push(n);
    }
  }
  return check;
}

// "grossed $150 million" vs "$160 million" conflict; "3 films" vs "2,000 seats" are about different things.
function magnitudeClose(a: NumberMention, b: NumberMention): boolean {
  if (a.value === 0 || b.value === 0) return false;
  const ratio = a.value / b.value;
  return ratio > 0.1 && ratio < 10;
}

