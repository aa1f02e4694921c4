/**
 * The semantic cache's scope: a cached answer may only serve a request with the same tenant, model
 * and prompt template — the system prompt and every message but the last user message, plus the
 * tools, passages and answer options (output format, sampling). Only the last user message (the question) is compared by meaning.
 */
import { sha256 } from '../../core/hash.ts';
import type { ChatRequest } from '../../core/model.ts';
import { answerOptionsOf } from './exact-key.ts';

export interface SemanticScope {
  /** Hash of model + template; the backend keys entries by tenant and this. */
  scope: string;
  /** The last user message, the part compared by meaning. */
  question: string;
}

/** The scope and question of a request, or undefined when it does not end with a user message. */
export function semanticScope(request: ChatRequest, modelId: string, routingTags?: ReadonlySet<string>): SemanticScope | undefined {
  const last = request.messages.at(-1);
  if (!last || last.role !== 'user' || last.content.trim() === '') return undefined;
  const template = {
    model: request.model ?? modelId,
    context: request.messages.slice(0, -1).map((m) => [m.role, m.content, m.toolCallId ?? null, (m.toolCalls ?? []).map((c) => [c.name, c.arguments])]),
    tools: (request.tools ?? []).map((t) => t.name),
    toolChoice: request.toolChoice ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    stop: request.stop ?? [],
    passages: (request.passages ?? []).map((p) => p.chunkId),
    ...answerOptionsOf(request, routingTags),
  };
  return { scope: sha256(JSON.stringify(template)).slice(0, 32), question: last.content.trim() };
}
