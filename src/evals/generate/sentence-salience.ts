/**
 * Which sentences of a text are worth a question: informative ones (numbers, names, definitions)
 * of a readable length, not boilerplate, code, tables or sentences that lean on the one before
 * ("It also …"), whose questions would not say what they are about.
 */
import { splitSentences } from '../../text/sentences.ts';

export interface SalientSentence {
  /** The sentence exactly as in the text: the gold passage. */
  raw: string;
  /** Markdown emphasis and link syntax removed, whitespace collapsed: what questions are built from. */
  cleaned: string;
  salience: number;
}

const BOILERPLATE = /https?:\/\/|www\.|©|\bcopyright\b|all rights reserved|click here|\bcookies?\b|\bsubscribe\b|table of contents/i;
const LEANS_ON_CONTEXT = /^(?:it|its|this|that|these|those|they|them|he|she|we|you|here|also|but|and|or|so|then|however|instead|otherwise|for example|such)\b/i;
const SYMBOL = /[^\p{L}\p{N}\s.,;:'"`()-]/gu;

/** Candidate sentences of `text` with a salience score (higher is more informative), in text order. */
export function salientSentences(text: string): SalientSentence[] {
  const out: SalientSentence[] = [];
  for (const sentence of splitSentences(text)) {
    if (sentence.kind !== 'prose' && sentence.kind !== 'list-item') continue;
    const cleaned = cleanMarkdown(sentence.text);
    const salience = salienceOf(cleaned);
    if (salience !== null) out.push({ raw: sentence.text, cleaned, salience });
  }
  return out;
}

/** Salience of a cleaned sentence, or null when it should not become a question. */
export function salienceOf(cleaned: string): number | null {
  const words = cleaned.split(' ');
  if (words.length < 6 || words.length > 45) return null;
  if (cleaned.endsWith('?') || BOILERPLATE.test(cleaned) || LEANS_ON_CONTEXT.test(cleaned) || cleaned.includes('|')) return null;
  // Mostly symbols means code, paths or a formula, not prose.
  if ((cleaned.match(SYMBOL)?.length ?? 0) / cleaned.length > 0.08) return null;
  // Reference lines ("`plumb ingest <path>`: …") and sentences that are mostly inline code read
  // as cloze puzzles, not questions.
  const codeChars = (cleaned.match(/`[^`]*`/g) ?? []).join('').length;
  if (cleaned.startsWith('`') || codeChars / cleaned.length > 0.3 || /[{}]/.test(cleaned)) return null;
  let salience = 0;
  if (/\d/.test(cleaned)) salience += 1.5;
  if (words.slice(1).some((w) => /^[A-Z][\w-]*[A-Z0-9]|^[A-Z][a-z]+$|^`/.test(w))) salience += 1.5;
  if (/\b(?:is|are) (?:a|an|the|one of)\b|\b(?:means|stands for)\b/.test(cleaned)) salience += 1;
  if (words.length >= 10 && words.length <= 30) salience += 1;
  return salience;
}

/** Removes markdown emphasis, link and image syntax, keeps the visible text. */
function cleanMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\s)[*_](\S.*?\S|\S)[*_](?=\s|[.,;:!?]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}
