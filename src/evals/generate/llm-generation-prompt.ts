/** The prompt that asks an LLM for question–answer–evidence items about one chunk. */
import type { Message } from '../../core/model.ts';

export const LLM_GENERATION_PROMPT_VERSION = 'llm-generate-v1';

const SYSTEM = [
  'You write evaluation questions for a document search system.',
  'Each question must be answerable from the passage alone, ask about one fact, and make sense without seeing the passage (name what it is about; no "this document", "the passage", "it").',
  'The answer is a short span copied from the passage. The evidence is the sentence of the passage that contains the answer, copied exactly.',
  'The question must not contain the answer.',
  'Reply with JSON only, no prose and no code fence: {"items": [{"question": "...", "answer": "...", "evidence": "..."}]}',
].join('\n');

/** Messages asking for up to `n` items about `passage`. */
export function generationMessages(passage: string, n: number): Message[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Passage:\n"""\n${passage}\n"""\n\nWrite ${n} question${n === 1 ? '' : 's'} about this passage.` },
  ];
}

/** The follow-up after a reply that was not the JSON asked for. */
export function retryMessages(previous: Message[], reply: string, problem: string): Message[] {
  return [
    ...previous,
    { role: 'assistant', content: reply },
    { role: 'user', content: `That reply could not be used (${problem}). Reply again with only the JSON object {"items": [...]} and nothing else.` },
  ];
}
