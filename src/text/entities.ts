/**
 * Named entities, cheaply: runs of capitalised words ("Walt Disney Pictures", "Bank of America")
 * and acronyms ("NASA", "COVID-19"). A claim naming an entity its evidence never mentions is the
 * classic invented detail. A sentence's first word is skipped unless it starts a longer name or is
 * an acronym, since every sentence starts with a capital.
 */
import { FUNCTION_WORDS } from './function-words.ts';

export interface EntityMention {
  text: string;
  /** Lowercase words of the name, without connectors ("of", "the"). */
  words: string[];
}

const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.-]*/gu;
// Not "and": "NASA and ESA" is two names far more often than "Procter and Gamble" is one.
const CONNECTORS = new Set(['of', 'the', 'de', 'del', 'da', 'van', 'von', '&']);
const ACRONYM = /^(?:\p{Lu}\.?){2,}(?:-?\d+)?$/u;

/** Named entities mentioned in `text` (a sentence or clause). */
export function extractEntities(text: string): EntityMention[] {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ word: m[0].replace(/['’]s$|[.'’-]+$/u, ''), start: m.index, end: m.index + m[0].length }));
  const entities: EntityMention[] = [];
  let run: string[] = [];
  let runStartsSentence = false;
  const close = (): void => {
    while (run.length > 0 && CONNECTORS.has((run.at(-1) ?? '').toLowerCase())) run.pop();
    const words = run.filter((w) => !CONNECTORS.has(w.toLowerCase()));
    const single = words.length === 1 ? (words[0] ?? '') : '';
    const keep = words.length > 1 || (words.length === 1 && (ACRONYM.test(single) || !runStartsSentence));
    if (keep && !(words.length === 1 && FUNCTION_WORDS.has(single.toLowerCase()))) {
      entities.push({ text: run.join(' '), words: words.map((w) => w.toLowerCase()) });
    }
    run = [];
  };
  tokens.forEach(({ word, start }, i) => {
    const capitalised = /^\p{Lu}/u.test(word);
    const previous = tokens[i - 1];
    const atSentenceStart = previous === undefined || /[.!?:]/.test(text.slice(previous.end, start)) || endsSentence(text.slice(previous.start, previous.end));
    // A name never runs across punctuation or a sentence end: "Walt Disney, the U.S. Army", "…Plaza. Critics".
    if (run.length > 0 && (atSentenceStart || (previous !== undefined && /\S/.test(text.slice(previous.end, start))))) close();
    if (capitalised && !(atSentenceStart && FUNCTION_WORDS.has(word.toLowerCase()))) {
      if (run.length === 0) runStartsSentence = atSentenceStart;
      run.push(word);
    } else if (run.length > 0 && CONNECTORS.has(word.toLowerCase()) && /^\p{Lu}/u.test(tokens[i + 1]?.word ?? '')) {
      run.push(word);
    } else if (run.length > 0) {
      close();
    }
  });
  if (run.length > 0) close();
  return entities;
}

// "U.S." and "Inc." end in a full stop without ending the sentence.
function endsSentence(token: string): boolean {
  return /[.!?]$/.test(token) && !/^(?:\p{L}\.)+$/u.test(token) && !/^(?:Inc|Ltd|Co|Corp|Jr|Sr|Dr|Mr|Mrs|Ms|St)\.$/.test(token);
}

/** What a text offers for entity look-ups: its words, and the initials of its word runs ("usa"). */
export interface EntityIndex {
  words: Set<string>;
  /** Word prefixes, so "Belgian" finds "Belgium" and "Indonesian" "Indonesia". */
  prefixes: Set<string>;
  initials: Set<string>;
}

const PREFIX = 6;
// Acronyms whose expansion is not their initials.
const ALIASES: Record<string, string[]> = { tv: ['television'], uk: ['britain', 'british', 'england'], us: ['america', 'american'], usa: ['america', 'american'] };

/** Indexes a text's words for entity look-ups. */
export function entityIndex(text: string): EntityIndex {
  const words = new Set<string>();
  const sequence: string[] = [];
  for (const m of text.toLowerCase().matchAll(TOKEN)) {
    const w = m[0].replace(/['’]s$|[.'’-]+$/u, '');
    words.add(w);
    // "U.S." and "US", "COVID-19" and "covid": one name, written two ways.
    if (w.includes('.')) words.add(w.replace(/\./g, ''));
    if (w.includes('-')) for (const part of w.split('-')) words.add(part);
    if (!CONNECTORS.has(w) && w !== 'and') sequence.push(w);
  }
  const prefixes = new Set<string>();
  for (const w of words) if (w.length >= PREFIX) prefixes.add(w.slice(0, PREFIX));
  const initials = new Set<string>();
  for (let i = 0; i < sequence.length; i++) {
    let acronym = '';
    for (let k = i; k < Math.min(sequence.length, i + 5); k++) {
      acronym += sequence[k]![0] ?? '';
      if (acronym.length >= 2) initials.add(acronym);
    }
  }
  return { words, prefixes, initials };
}

/** Whether the text names the entity: every word (a plural, possessive or demonym still counts), or an acronym's expansion. */
export function mentionsEntity(index: EntityIndex, entity: EntityMention): boolean {
  if (entity.words.length === 1) {
    const acronym = (entity.words[0] ?? '').replace(/[.-]|\d+$/g, '');
    if (index.initials.has(acronym) || (ALIASES[acronym] ?? []).some((w) => index.words.has(w))) return true;
  }
  return entity.words.every((w) => {
    const bare = w.replace(/\./g, '');
    // "U.S. Army" against "United States Army".
    if ((w.includes('.') || w.length <= 3) && index.initials.has(bare)) return true;
    return index.words.has(w) || index.words.has(bare) || index.words.has(`${w}s`) || (w.endsWith('s') && index.words.has(w.slice(0, -1))) || (w.length >= PREFIX && index.prefixes.has(w.slice(0, PREFIX)));
  });
}
