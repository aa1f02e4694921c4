/**
 * What a request may use at most, before it is sent: its input counted with our tokenizer the
 * way chat APIs count it (a few tokens of framing per message), plus the output it allows.
 * Limits and budgets reserve this, then settle with what the provider reports.
 */
import type { ChatRequest } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { Tokenizer } from '../../core/tokenizer.ts';
import type { Usage } from '../../core/usage.ts';

// OpenAI's documented accounting: ~4 tokens of framing per message, 3 to prime the reply.
const PER_MESSAGE = 4;
const REPLY_PRIMING = 3;

const defaultTokenizer = getTokenizer();

/** Input tokens of `request` (messages, tool calls, tool definitions), rounded up, never down. */
export function estimateInputTokens(request: ChatRequest, tokenizer: Tokenizer = defaultTokenizer): number {
  let total = REPLY_PRIMING;
  for (const message of request.messages) {
    total += PER_MESSAGE + tokenizer.count(message.content);
    if (message.name !== undefined) total += tokenizer.count(message.name) + 1;
    for (const call of message.toolCalls ?? []) total += tokenizer.count(call.name) + tokenizer.count(call.arguments) + PER_MESSAGE;
  }
  for (const tool of request.tools ?? []) total += tokenizer.count(JSON.stringify(tool)) + PER_MESSAGE;
  return total;
}

/** The most a request can use: estimated input plus its output cap (or `defaultMaxOutputTokens`). */
export function worstCaseUsage(request: ChatRequest, defaultMaxOutputTokens: number, tokenizer?: Tokenizer): Usage {
  return { inputTokens: estimateInputTokens(request, tokenizer), outputTokens: request.maxOutputTokens ?? defaultMaxOutputTokens };
}
