/**
 * The one sentence an answer gives when the passages do not hold the answer. The system prompt
 * asks LLMs for it verbatim and the extractive answerer uses it, so callers can detect an
 * abstention without a judge.
 */
export const ABSTENTION_TEXT = 'I could not find an answer to that in the indexed documents.';

// Paraphrases LLMs produce despite being asked for the exact sentence.
const ABSTENTION_PATTERNS: RegExp[] = [
  /\bcould ?n[o']t find (?:an|the|any) answer\b/,
  /\b(?:passages|documents|context|sources) (?:do|does) not (?:contain|include|mention|say|provide)\b/,
  /\b(?:passages|documents|context|sources) (?:don't|doesn't) (?:contain|include|mention|say|provide)\b/,
  /^(?:sorry, )?i (?:do not|don't) know\b/,
  /\bnot enough information (?:in|to)\b/,
];

/** Whether an answer declines to answer (the canonical sentence or a close paraphrase of it). */
export function isAbstention(text: string): boolean {
  const normalized = text.trim().toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ');
  if (normalized === '') return true;
  return ABSTENTION_PATTERNS.some((pattern) => pattern.test(normalized));
}
