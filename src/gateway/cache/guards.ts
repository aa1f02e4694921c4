/**
 * Guards against semantic-cache false hits: two questions can be close in embedding space while
 * asking for different answers — "events in 2002" vs "in 1992", "laptops in India" vs "in the
 * USA", "is X safe" vs "is X not safe". Each guard reuses the offline judge's checks.
 */
import { entityIndex, extractEntities, mentionsEntity } from '../../text/entities.ts';
import { extractNumbers, sameQuantity, type NumberMention } from '../../text/numbers.ts';
import { polarityConflict, polarityWords } from '../../text/polarity.ts';
import { wordTokens } from '../../providers/offline/sif-embedder-tokens.ts';

export type GuardName = 'numbers' | 'entities' | 'negation' | 'question';
export const ALL_GUARDS: readonly GuardName[] = ['numbers', 'entities', 'negation', 'question'];

/** What each guard says about a pair of texts: true = they differ in that respect. */
export interface GuardFlags {
  numbers: boolean;
  entities: boolean;
  negation: boolean;
  /** The same question with another question word: "why" / "how" / "when" / "where" / "who" / "what". */
  question: boolean;
}

/** Whether two texts state different numbers (each number of one must appear in the other). */
export function numbersDiffer(a: string, b: string): boolean {
  const na = extractNumbers(a);
  const nb = extractNumbers(b);
  return !allFound(na, nb) || !allFound(nb, na);
}

function allFound(these: NumberMention[], those: NumberMention[]): boolean {
  return these.every((n) => those.some((m) => sameQuantity(n, m)));
}

/** Whether one text names an entity the other never mentions. */
export function entitiesDiffer(a: string, b: string): boolean {
  return missingEntity(a, b) || missingEntity(b, a);
}

function missingEntity(from: string, against: string): boolean {
  const entities = extractEntities(from);
  if (entities.length === 0) return false;
  const index = entityIndex(against);
  return entities.some((e) => !mentionsEntity(index, e));
}

/** Whether one text negates (or says the opposite of) what the other asserts. */
export function negationDiffers(a: string, b: string): boolean {
  const pa = polarityWords(a);
  const pb = polarityWords(b);
  // A negation on one side only ("why can't I" vs "why can I") flips the question even when its scope misses the shared words.
  if ((pa.negations.length > 0) !== (pb.negations.length > 0)) return true;
  return polarityConflict(pa, pb) !== null || polarityConflict(pb, pa) !== null;
}

// "which" asks what "what" asks ("Which/What is the best …"); the others ask for different answers.
const QUESTION_WORD_KIND: Record<string, string> = { what: 'what', which: 'what', why: 'why', how: 'how', when: 'when', where: 'where', who: 'who' };

/**
 * Whether two questions are word for word the same but for their question word, and it asks for
 * something else: "Why does cellular respiration occur?" / "How does …". A sentence encoder puts
 * such pairs very close (USE-lite: 0.96). On the calibration half of QQP dev it fires on 10 of
 * 6,386 non-duplicates and 2 of 3,614 duplicates.
 */
export function questionWordDiffers(a: string, b: string): boolean {
  const ta = wordTokens(a.toLowerCase());
  const tb = wordTokens(b.toLowerCase());
  if (ta.length !== tb.length) return false;
  let differs = -1;
  for (let i = 0; i < ta.length; i++) {
    if (ta[i] === tb[i]) continue;
    if (differs >= 0) return false;
    differs = i;
  }
  if (differs < 0) return false;
  const [ka, kb] = [QUESTION_WORD_KIND[ta[differs]!], QUESTION_WORD_KIND[tb[differs]!]];
  return ka !== undefined && kb !== undefined && ka !== kb;
}

/** Every guard for a pair. */
export function guardFlags(a: string, b: string): GuardFlags {
  return { numbers: numbersDiffer(a, b), entities: entitiesDiffer(a, b), negation: negationDiffers(a, b), question: questionWordDiffers(a, b) };
}

/** The first guard that fires, or null when the pair passes them all. */
export function firstGuardFired(flags: GuardFlags, among: readonly GuardName[] = ALL_GUARDS): GuardName | null {
  for (const name of among) if (flags[name]) return name;
  return null;
}
