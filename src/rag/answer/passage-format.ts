/**
 * How numbered passages are written into a prompt, and read back out of one. XML-like tags keep
 * the passages unambiguous even when their text contains "[12]" style references or blank
 * lines; the extractive answerer parses them back when a request carries no `passages`.
 */
import type { ContextPassage } from '../../core/model.ts';

export const PASSAGES_OPEN = '<passages>\n';
export const PASSAGES_CLOSE = '</passages>';
export const QUESTION_LABEL = 'Question: ';

/** One passage as it appears in the prompt, ending with a newline so blocks concatenate. */
export function renderPassage(passage: Pick<ContextPassage, 'n' | 'title' | 'text'>): string {
  const title = passage.title === undefined ? '' : ` title="${escapeAttribute(passage.title)}"`;
  return `<passage id="${passage.n}"${title}>\n${passage.text.replaceAll('</passage>', '<\\/passage>')}\n</passage>\n`;
}

/** The user turn: passage blocks, then the question last so the passages form a stable prefix. */
export function renderContextMessage(passageBlocks: string[], question: string): string {
  return `${PASSAGES_OPEN}${passageBlocks.join('')}${PASSAGES_CLOSE}\n\n${QUESTION_LABEL}${question}`;
}

const PASSAGE_BLOCK = /<passage id="(\d+)"(?: title="([^"]*)")?>\n([\s\S]*?)\n<\/passage>/g;

/** The passages written into `text` by `renderPassage`, in order; chunk and document ids are unknown ("" ). */
export function parsePassages(text: string): ContextPassage[] {
  const passages: ContextPassage[] = [];
  for (const match of text.matchAll(PASSAGE_BLOCK)) {
    const passage: ContextPassage = {
      n: Number(match[1]),
      chunkId: '',
      documentId: '',
      text: (match[3] ?? '').replaceAll('<\\/passage>', '</passage>'),
    };
    if (match[2] !== undefined) passage.title = unescapeAttribute(match[2]);
    passages.push(passage);
  }
  return passages;
}

/** The question of a user turn written by `renderContextMessage`, or the whole turn otherwise. */
export function parseQuestion(userTurn: string): string {
  const close = userTurn.lastIndexOf(PASSAGES_CLOSE);
  const rest = close === -1 ? userTurn : userTurn.slice(close + PASSAGES_CLOSE.length);
  const trimmed = rest.trim();
  return trimmed.startsWith(QUESTION_LABEL.trim()) ? trimmed.slice(QUESTION_LABEL.trim().length).trim() : trimmed;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('\n', ' ');
}

function unescapeAttribute(value: string): string {
  return value.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}
