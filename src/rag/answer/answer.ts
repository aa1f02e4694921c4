/**
 * Answering a question from retrieved chunks: build the budgeted prompt, call the model inside a
 * `generate` span carrying the OpenTelemetry GenAI attributes, then map the answer's citations
 * back to the passages. Works with any ChatModel (an LLM, the gateway, the extractive answerer).
 */
import { performance } from 'node:perf_hooks';
import type { RetrievedChunk } from '../../core/document.ts';
import { PlumbError } from '../../core/errors.ts';
import type { ChatModel, ChatRequest, FinishReason, Message } from '../../core/model.ts';
import type { TokenEncoding } from '../../core/tokenizer.ts';
import type { Cost, Usage } from '../../core/usage.ts';
import { GenAI } from '../../observe/gen-ai-attributes.ts';
import { span, type ActiveSpan } from '../../observe/tracer.ts';
import { isAbstention } from './abstention.ts';
import { AsyncQueue } from './async-queue.ts';
import { extractCitations, type Citation } from './citations.ts';
import { buildRagPrompt, type CitablePassage, type RagPrompt } from './prompt-builder.ts';

export interface Answer {
  text: string;
  citations: Citation[];
  /** Passage numbers the answer cites that do not exist: a sign of a confused model. */
  invalidCitations: number[];
  /** The answer declines to answer (see `isAbstention`). */
  abstained: boolean;
  usage: Usage;
  cost: Cost;
  model: string;
  provider: string;
  finishReason: FinishReason;
  /** Time spent in the model call, in milliseconds. */
  latencyMs: number;
  /** The passages the model saw, numbered as the answer cites them. */
  passages: CitablePassage[];
  /** Retrieved chunks left out of the prompt because the token budget was spent. */
  droppedChunkIds: string[];
  promptTokens: number;
}

export interface AnswerQuestionInput {
  model: ChatModel;
  question: string;
  chunks: readonly RetrievedChunk[];
  /** The most tokens the prompt may take (instructions, history, passages, question). */
  budgetTokens: number;
  history?: readonly Message[];
  maxOutputTokens?: number;
  signal?: AbortSignal;
  encoding?: TokenEncoding;
  systemPrompt?: string;
  /** Passed to the model so a gateway scopes caches, limits, budgets and the ledger. */
  tenantId?: string;
}

export type AnswerStreamEvent = { type: 'delta'; text: string } | { type: 'done'; answer: Answer };

/** Answers `question` from `chunks` with `model`, citing passages as [n]. */
export async function answerQuestion(input: AnswerQuestionInput): Promise<Answer> {
  const prompt = await buildPromptInSpan(input);
  const request = chatRequest(input, prompt, input.signal);
  const started = performance.now();
  const response = await span('generate', requestAttributes(input), async (active) => {
    const result = await input.model.generate(request);
    recordResponse(active, result);
    return result;
  });
  return assemble(prompt, { ...response, latencyMs: performance.now() - started });
}

/** Like `answerQuestion`, yielding the text as it arrives and the full Answer last. */
export async function* streamAnswer(input: AnswerQuestionInput): AsyncGenerator<AnswerStreamEvent, void, undefined> {
  const prompt = await buildPromptInSpan(input);
  // Our own controller, so a consumer that stops reading also stops the model.
  const abort = new AbortController();
  const onAbort = (): void => abort.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const request = chatRequest(input, prompt, abort.signal);
  const deltas = new AsyncQueue<string>();
  const started = performance.now();

  const generated = span('generate', requestAttributes(input), async (active) => {
    let text = '';
    for await (const event of input.model.stream(request)) {
      if (event.type === 'text-delta') {
        text += event.text;
        deltas.push(event.text);
      } else if (event.type === 'finish') {
        const result = { ...event, text };
        recordResponse(active, result);
        return result;
      }
    }
    throw new PlumbError('upstream_error', `The model ${input.model.provider}/${input.model.modelId} ended its stream without a finish event.`, {
      hint: 'Check the provider adapter: every stream must end with one finish event carrying usage.',
    });
  }).finally(() => deltas.close());
  // Handled here, rethrown below when awaited: an error must not surface as an unhandled rejection.
  generated.catch(() => undefined);

  try {
    for await (const text of deltas) yield { type: 'delta', text };
    const result = await generated;
    yield { type: 'done', answer: assemble(prompt, { ...result, latencyMs: performance.now() - started }) };
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    abort.abort();
    // Let the span end (as an abort, if the model was still going) before the caller's trace does.
    await generated.catch(() => undefined);
  }
}

function buildPromptInSpan(input: AnswerQuestionInput): Promise<RagPrompt> {
  return span('rag.build_prompt', { 'plumb.rag.budget_tokens': input.budgetTokens }, (active) => {
    const prompt = buildRagPrompt({
      question: input.question,
      chunks: input.chunks,
      budgetTokens: input.budgetTokens,
      ...(input.encoding === undefined ? {} : { encoding: input.encoding }),
      ...(input.systemPrompt === undefined ? {} : { systemPrompt: input.systemPrompt }),
      ...(input.history === undefined ? {} : { history: input.history }),
    });
    active?.setAttributes({
      'plumb.rag.prompt_tokens': prompt.promptTokens,
      'plumb.rag.passages_used': prompt.usedChunks.length,
      'plumb.rag.passages_dropped': prompt.droppedChunks.length,
      'plumb.rag.truncated_chunk_id': prompt.truncatedChunkId ?? undefined,
    });
    return prompt;
  });
}

function chatRequest(input: AnswerQuestionInput, prompt: RagPrompt, signal: AbortSignal | undefined): ChatRequest {
  return {
    messages: prompt.messages,
    passages: prompt.passages,
    ...(input.maxOutputTokens === undefined ? {} : { maxOutputTokens: input.maxOutputTokens }),
    ...(signal === undefined ? {} : { signal }),
    ...(input.tenantId === undefined ? {} : { tenantId: input.tenantId }),
    tags: ['rag'],
  };
}

function requestAttributes(input: AnswerQuestionInput): Record<string, string | number> {
  return {
    [GenAI.operationName]: 'chat',
    [GenAI.system]: input.model.provider,
    [GenAI.requestModel]: input.model.modelId,
    ...(input.maxOutputTokens === undefined ? {} : { [GenAI.requestMaxTokens]: input.maxOutputTokens }),
  };
}

interface ModelResult {
  text: string;
  usage: Usage;
  cost: Cost;
  model: string;
  provider: string;
  finishReason: FinishReason;
}

function recordResponse(active: ActiveSpan | undefined, result: ModelResult): void {
  active?.setAttributes({
    [GenAI.responseModel]: result.model,
    [GenAI.inputTokens]: result.usage.inputTokens,
    [GenAI.outputTokens]: result.usage.outputTokens,
    [GenAI.cachedInputTokens]: result.usage.cachedInputTokens,
    [GenAI.finishReasons]: [result.finishReason],
    [GenAI.costUsd]: result.cost.usd,
  });
}

function assemble(prompt: RagPrompt, result: ModelResult & { latencyMs: number }): Answer {
  const { citations, invalidCitations } = extractCitations(result.text, prompt.passages);
  return {
    text: result.text,
    citations,
    invalidCitations,
    abstained: isAbstention(result.text),
    usage: result.usage,
    cost: result.cost,
    model: result.model,
    provider: result.provider,
    finishReason: result.finishReason,
    latencyMs: Math.round(result.latencyMs * 1000) / 1000,
    passages: prompt.passages,
    droppedChunkIds: prompt.droppedChunks.map((c) => c.chunk.id),
    promptTokens: prompt.promptTokens,
  };
}
