/**
 * Tokens of a chat prompt as OpenAI counts them: each message's content plus 3 tokens of role
 * framing, plus 3 that prime the reply. Close for other providers too, and never an undercount
 * of the content itself, which is what a budget must guard.
 */
import type { Message } from '../../core/model.ts';
import type { Tokenizer } from '../../core/tokenizer.ts';

export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PRIMING_REPLY = 3;

/** Prompt tokens of `messages` under `tokenizer`, framing included. */
export function countChatTokens(messages: readonly Message[], tokenizer: Tokenizer): number {
  let total = TOKENS_PRIMING_REPLY;
  for (const message of messages) total += tokenizer.count(message.content) + TOKENS_PER_MESSAGE;
  return total;
}
