/**
 * Rule-based question writing for the offline generator: a handful of English patterns that turn a
 * declarative sentence into a question whose answer is a span of the sentence. Simple on purpose —
 * the questions read a little mechanical, but each one is answerable from its sentence, and the
 * transform used is recorded with the case so a reader can judge it.
 */

export type QuestionTransform = 'when' | 'how-many' | 'what-is' | 'what-does-mean' | 'cloze';

export interface GeneratedQuestion {
  question: string;
  /** A span of the (cleaned) sentence. */
  answer: string;
  transform: QuestionTransform;
}

const DATE = String.raw`(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:\d{1,2},?\s+)?)?\d{4}`;
const WHEN = new RegExp(String.raw`^(?<subject>.+?)\s+(?<aux>was|were)\s+(?<verb>[a-z]+(?:ed|en|wn|lt|ght|un))\s+(?:in|on|during)\s+(?<date>${DATE})\b`);
const COUNT_VERBS: Record<string, { aux: string; base: string }> = {
  has: { aux: 'does', base: 'have' }, have: { aux: 'do', base: 'have' }, had: { aux: 'did', base: 'have' },
  contains: { aux: 'does', base: 'contain' }, contain: { aux: 'do', base: 'contain' },
  supports: { aux: 'does', base: 'support' }, support: { aux: 'do', base: 'support' },
  includes: { aux: 'does', base: 'include' }, include: { aux: 'do', base: 'include' },
  uses: { aux: 'does', base: 'use' }, use: { aux: 'do', base: 'use' },
  takes: { aux: 'does', base: 'take' }, take: { aux: 'do', base: 'take' },
  returns: { aux: 'does', base: 'return' }, return: { aux: 'do', base: 'return' },
  keeps: { aux: 'does', base: 'keep' }, keep: { aux: 'do', base: 'keep' },
};
const HOW_MANY = new RegExp(String.raw`^(?<subject>.+?)\s+(?<verb>${Object.keys(COUNT_VERBS).join('|')})\s+(?:about\s+|over\s+|up to\s+|around\s+|at most\s+)?(?<num>\d[\d,.]*)\s+(?<noun>[a-z][a-z-]+)`);
// "X is a/an/the …", "X is one of …", "X is 512 tokens": a definition or a value.
const WHAT_IS = /^(?<subject>[^,;:()`]+?)\s+(?<be>is|are)\s+(?<predicate>(?:(?:a|an|the|one of)\s|\d)[^]*)$/;
const MEANS = /^(?<subject>[^,;:()`]+?)\s+(?<verb>means|stands for)\s+(?<predicate>.+)$/;
// Words a question's subject must not start with: the question would not say what it is about.
const VAGUE_SUBJECT = /^(?:it|its|this|that|these|those|they|there|here|he|she|we|you|which|what|who|each|both|all|some|one|other|another|such|so|then|also|but|and|or|if|when|because)\b/i;
const LEADING_DETERMINER = /^(?:The|A|An|Our|Your|Every|Any)\b/;

/** A question from one sentence, or null when no pattern fits well enough. */
export function questionFrom(sentence: string): GeneratedQuestion | null {
  const text = sentence.replace(/\s+/g, ' ').trim().replace(/[.!;:]+$/, '');
  return whenQuestion(text) ?? howManyQuestion(text) ?? whatIsQuestion(text) ?? meansQuestion(text) ?? clozeQuestion(text);
}

function whenQuestion(text: string): GeneratedQuestion | null {
  const m = WHEN.exec(text)?.groups;
  if (!m || !usableSubject(m['subject']!)) return null;
  return { question: `When ${m['aux']} ${subjectInQuestion(m['subject']!)} ${m['verb']}?`, answer: m['date']!, transform: 'when' };
}

function howManyQuestion(text: string): GeneratedQuestion | null {
  const m = HOW_MANY.exec(text)?.groups;
  const verb = m ? COUNT_VERBS[m['verb']!] : undefined;
  if (!m || !verb || !usableSubject(m['subject']!)) return null;
  return {
    question: `How many ${m['noun']} ${verb.aux} ${subjectInQuestion(m['subject']!)} ${verb.base}?`,
    answer: `${m['num']} ${m['noun']}`,
    transform: 'how-many',
  };
}

function whatIsQuestion(text: string): GeneratedQuestion | null {
  const m = WHAT_IS.exec(text)?.groups;
  if (!m || !usableSubject(m['subject']!)) return null;
  const predicate = m['predicate']!.trim();
  if (predicate.split(' ').length < 2 && !/\d/.test(predicate)) return null;
  return { question: `What ${m['be']} ${subjectInQuestion(m['subject']!)}?`, answer: predicate, transform: 'what-is' };
}

function meansQuestion(text: string): GeneratedQuestion | null {
  const m = MEANS.exec(text)?.groups;
  if (!m || !usableSubject(m['subject']!)) return null;
  const verb = m['verb'] === 'means' ? 'mean' : 'stand for';
  return { question: `What does ${subjectInQuestion(m['subject']!)} ${verb}?`, answer: m['predicate']!.trim(), transform: 'what-does-mean' };
}

// The answer span of a cloze, in order of preference: inline code, a number (with a plural noun
// after it, asked as "how many"), a name (capitalised words or a term like "BM25", "SQLite") that
// is not the sentence's first word. Numbers and names are looked for outside inline code only.
const CODE_SPAN = /`[^`]+`/;
const NUMBER = /(?<![\w.-])\d+(?:[.,]\d+)*(?![\w.-]*\w)(?<unit>\s[a-z]+s\b)?/;
const NAME = /(?<=[a-z,]\s)[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*/;

function clozeQuestion(text: string): GeneratedQuestion | null {
  if (VAGUE_SUBJECT.test(text)) return null;
  const code = CODE_SPAN.exec(text);
  if (code && code.index > 0) return cloze(text, code.index, code[0].length, 'what', code[0].slice(1, -1));
  // Masking code keeps numbers and names inside it (versions, flags) from becoming answers.
  const masked = text.replace(/`[^`]*`/g, (m) => '\u0000'.repeat(m.length));
  const number = NUMBER.exec(masked);
  if (number && number.index > 0) {
    const unit = number.groups?.['unit'];
    const digits = number[0].slice(0, number[0].length - (unit?.length ?? 0));
    return unit
      ? cloze(text, number.index, number[0].length, `how many${unit}`, digits)
      : cloze(text, number.index, digits.length, 'what', digits);
  }
  const name = NAME.exec(masked);
  if (name) return cloze(text, name.index, name[0].length, 'what', name[0]);
  return null;
}

function cloze(text: string, start: number, length: number, wh: string, answer: string): GeneratedQuestion {
  const question = `${text.slice(0, start)}${wh}${text.slice(start + length)}`.replace(/\s+/g, ' ').replace(/[,\s]+$/, '');
  return { question: `${question}?`, answer: answer.replace(/[.,;:]+$/, ''), transform: 'cloze' };
}

function usableSubject(subject: string): boolean {
  const words = subject.trim().split(/\s+/);
  return words.length >= 1 && words.length <= 10 && !VAGUE_SUBJECT.test(subject.trim());
}

/** The subject as it reads inside a question: a leading article lowercased ("The index" → "the index"). */
function subjectInQuestion(subject: string): string {
  const trimmed = subject.trim();
  return LEADING_DETERMINER.test(trimmed) ? trimmed[0]!.toLowerCase() + trimmed.slice(1) : trimmed;
}
