/**
 * Usage of a stream that never reached its `finish` event (cut midway, failed, or dropped by the
 * caller): providers still bill what they generated, so the ledger counts it with our tokenizer —
 * the prompt with OpenAI's per-message overhead, and every delta that arrived.
 */
import type { ChatRequest } from '../../core/model.ts';
import { getTokenizer } from '../../core/tokenizer.ts';
import type { Usage } from '../../core/usage.ts';

const tokenizer = getTokenizer();

/** Counted usage of a request whose answer so far is `outputText`. */
export function estimatedUsage(request: ChatRequest, outputText: string): Usage {
  const inputTokens = request.messages.reduce((sum, message) => {
    const calls = (message.toolCalls ?? []).map((call) => call.name + call.arguments).join('');
    return sum + 3 + tokenizer.count(message.content) + (calls === '' ? 0 : tokenizer.count(calls));
  }, 3);
  return { inputTokens, outputTokens: outputText === '' ? 0 : tokenizer.count(outputText) };
}
