/**
 * The RAG query: retrieve → build a prompt under a token budget → call the chat model → answer
 * with citations, all inside one trace whose id comes back with the answer.
 */
import type { RetrievalFilter, RetrievedChunk } from '../../core/document.ts';
import type { ChatModel, Message } from '../../core/model.ts';
import { GenAI } from '../../observe/gen-ai-attributes.ts';
import { trace, type TraceSink } from '../../observe/tracer.ts';
import { answerQuestion, streamAnswer, type Answer, type AnswerQuestionInput } from '../answer/index.ts';
import type { Retriever, RetrievalMode } from '../retrieve/index.ts';
import { EventChannel } from './event-channel.ts';

export interface AskOptions {
  tenantId: string;
  question: string;
  k: number;
  mode: RetrievalMode;
  filter?: RetrievalFilter;
  mmrLambda?: number;
  history?: Message[];
  signal?: AbortSignal;
}

export interface AskDeps {
  retriever: Retriever;
  chatModel: ChatModel;
  contextBudgetTokens: number;
  maxOutputTokens: number;
  traceSink: TraceSink;
}

export interface AskResult {
  answer: Answer;
  retrieval: { mode: string; chunks: RetrievedChunk[]; latencyMs: number };
  traceId: string;
  latencyMs: number;
}

export type AskEvent =
  | { type: 'retrieval'; retrieval: AskResult['retrieval']; traceId: string }
  | { type: 'delta'; text: string }
  | { type: 'done'; result: AskResult };

/** Answers a question from the tenant's documents. */
export async function ask(deps: AskDeps, options: AskOptions): Promise<AskResult> {
  const started = performance.now();
  return trace('rag.query', { tenantId: options.tenantId, sink: deps.traceSink, attributes: rootAttributes(options) }, async (root) => {
    const retrieval = await retrieveFor(deps, options);
    const answer = await answerQuestion(answerInput(deps, options, retrieval));
    root.setAttributes(answerAttributes(answer));
    return { answer, retrieval, traceId: root.traceId, latencyMs: performance.now() - started };
  });
}

/** Like `ask`, but yields the retrieval, then answer text as it is produced, then the result. */
export function askStream(deps: AskDeps, options: AskOptions): AsyncIterable<AskEvent> {
  const channel = new EventChannel<AskEvent>();
  const started = performance.now();
  trace('rag.query', { tenantId: options.tenantId, sink: deps.traceSink, attributes: rootAttributes(options) }, async (root) => {
    const retrieval = await retrieveFor(deps, options);
    channel.push({ type: 'retrieval', retrieval, traceId: root.traceId });
    for await (const event of streamAnswer(answerInput(deps, options, retrieval))) {
      if (event.type === 'delta') channel.push({ type: 'delta', text: event.text });
      else {
        root.setAttributes(answerAttributes(event.answer));
        channel.push({
          type: 'done',
          result: { answer: event.answer, retrieval, traceId: root.traceId, latencyMs: performance.now() - started },
        });
      }
    }
  }).then(
    () => channel.close(),
    (error: unknown) => channel.fail(error),
  );
  return channel;
}

async function retrieveFor(deps: AskDeps, options: AskOptions): Promise<AskResult['retrieval']> {
  const result = await deps.retriever.retrieve(options.tenantId, options.question, {
    k: options.k,
    mode: options.mode,
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.mmrLambda !== undefined ? { mmr: { lambda: options.mmrLambda } } : {}),
  });
  return { mode: result.mode, chunks: result.chunks, latencyMs: result.latencyMs };
}

function answerInput(deps: AskDeps, options: AskOptions, retrieval: AskResult['retrieval']): AnswerQuestionInput {
  return {
    model: deps.chatModel,
    question: options.question,
    chunks: retrieval.chunks,
    budgetTokens: deps.contextBudgetTokens,
    maxOutputTokens: deps.maxOutputTokens,
    tenantId: options.tenantId,
    ...(options.history ? { history: options.history } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

function rootAttributes(options: AskOptions) {
  return { [GenAI.tenantId]: options.tenantId, 'plumb.retrieval.mode': options.mode, 'plumb.retrieval.k': options.k };
}

function answerAttributes(answer: Answer) {
  return {
    [GenAI.inputTokens]: answer.usage.inputTokens,
    [GenAI.outputTokens]: answer.usage.outputTokens,
    [GenAI.costUsd]: answer.cost.usd,
    'plumb.answer.abstained': answer.abstained,
    'plumb.answer.citations': answer.citations.length,
  };
}
