/**
 * A golden set written by an LLM: the corpus is chunked as ingest chunks it, chunks are taken
 * round-robin over documents in a seeded order, and each is sent with a prompt asking for
 * {question, answer, evidence} items as JSON. A reply that is not valid JSON of that shape is
 * retried once with the problem spelled out; items are then filtered (llm-item-filter.ts) and
 * near-duplicates dropped (question-dedupe.ts, with SIF vectors) until `count` cases are kept.
 */
import { sha256 } from '../../core/hash.ts';
import type { ChatModel, EmbeddingModel, Message } from '../../core/model.ts';
import type { ChunkOptions } from '../../rag/ingest/chunking/chunk-options.ts';
import { chunkDocument } from '../../rag/ingest/chunking/chunk-document.ts';
import { documentIdFor } from '../../rag/pipeline/chunk-identity.ts';
import type { GoldenCase } from '../types.ts';
import { defaultMetricEmbedder } from '../metrics/sif-similarity.ts';
import type { ChunkSource, GenerationInput } from './generation-source.ts';
import { generationMessages, LLM_GENERATION_PROMPT_VERSION, retryMessages } from './llm-generation-prompt.ts';
import { parseGenerationReply, type GeneratedItem } from './llm-generation-reply.ts';
import { checkItem } from './llm-item-filter.ts';
import { QuestionDeduper } from './question-dedupe.ts';
import { seededRandom, shuffled } from './seeded-random.ts';

export interface LlmGenerationOptions {
  model: ChatModel;
  /** Documents (chunked here as ingest chunks them) or chunks. */
  documents: readonly GenerationInput[];
  count: number;
  /** Orders the chunks; same seed, same chunks asked. Default 1. */
  seed?: number;
  /** Items asked per chunk. Default 3. */
  questionsPerChunk?: number;
  chunkOptions?: ChunkOptions;
  /** Vectors for near-duplicate detection; default the offline SIF embedder, null for text-only dedupe. */
  embedder?: EmbeddingModel | null;
  /** Chunks prompted at once. Default 2. */
  concurrency?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the cases kept so far. */
  onProgress?: (kept: number, count: number) => void;
}

export interface LlmGenerationStats {
  chunksPrompted: number;
  modelCalls: number;
  /** Replies that were not the JSON asked for (each retried once). */
  invalidReplies: number;
  /** Chunks whose retry was invalid too (skipped). */
  chunksSkipped: number;
  itemsGenerated: number;
  dropped: { answer_not_in_chunk: number; answer_in_question: number; evidence_not_in_chunk: number; duplicate: number };
}

export interface LlmGenerationResult {
  cases: GoldenCase[];
  stats: LlmGenerationStats;
}

// A chunk shorter than this rarely holds a fact worth a question.
const MIN_CHUNK_WORDS = 25;

/** Synthetic golden cases written by `model`, validated, filtered and deduplicated. */
export async function generateWithLlm(options: LlmGenerationOptions): Promise<LlmGenerationResult> {
  const perChunk = options.questionsPerChunk ?? 3;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const embedder = options.embedder === undefined ? defaultMetricEmbedder() : options.embedder;
  const stats: LlmGenerationStats = {
    chunksPrompted: 0, modelCalls: 0, invalidReplies: 0, chunksSkipped: 0, itemsGenerated: 0,
    dropped: { answer_not_in_chunk: 0, answer_in_question: 0, evidence_not_in_chunk: 0, duplicate: 0 },
  };
  const chunks = orderedChunks(options.documents, options.seed ?? 1, options.chunkOptions);
  const deduper = new QuestionDeduper();
  const cases: GoldenCase[] = [];

  for (let next = 0; next < chunks.length && cases.length < options.count; next += concurrency) {
    const batch = chunks.slice(next, next + concurrency);
    // Prompted together, accepted in chunk order, so the result does not depend on reply timing.
    const replies = await Promise.all(batch.map((chunk) => askForItems(options, chunk.text, perChunk, stats)));
    for (const [i, items] of replies.entries()) {
      const chunk = batch[i]!;
      stats.chunksPrompted += 1;
      if (items === null) {
        stats.chunksSkipped += 1;
        continue;
      }
      stats.itemsGenerated += items.length;
      const vectors = embedder && items.length > 0 ? (await embedder.embed(items.map((it) => it.question), { purpose: 'query' })).vectors : [];
      for (const [j, item] of items.entries()) {
        if (cases.length >= options.count) break;
        const verdict = checkItem(item, chunk.text);
        if (!verdict.ok) {
          stats.dropped[verdict.reason] += 1;
        } else if (!deduper.add(item.question, vectors[j])) {
          stats.dropped.duplicate += 1;
        } else {
          cases.push(toCase(options.model, chunk, item, verdict.goldPassage));
        }
      }
      options.onProgress?.(cases.length, options.count);
    }
  }
  return { cases, stats };
}

/** The chunk's items, or null when the reply and its one retry were both unusable. */
async function askForItems(options: LlmGenerationOptions, passage: string, n: number, stats: LlmGenerationStats): Promise<GeneratedItem[] | null> {
  let messages: Message[] = generationMessages(passage, n);
  for (let attempt = 0; attempt < 2; attempt++) {
    stats.modelCalls += 1;
    const response = await options.model.generate({
      messages,
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const parsed = parseGenerationReply(response.text);
    if (parsed.ok) return parsed.items.slice(0, n);
    stats.invalidReplies += 1;
    messages = retryMessages(messages, response.text, parsed.problem);
  }
  return null;
}

/** Chunks of every input, documents in seeded order, taken round-robin one chunk per document. */
function orderedChunks(inputs: readonly GenerationInput[], seed: number, chunkOptions: ChunkOptions | undefined): ChunkSource[] {
  const random = seededRandom(seed);
  const byDocument = new Map<string, ChunkSource[]>();
  for (const input of inputs) {
    const chunks: ChunkSource[] =
      'documentId' in input
        ? [input]
        : chunkDocument(input, chunkOptions).map((draft) => ({ documentId: documentIdFor(input), source: input.source, text: draft.text }));
    const list = byDocument.get(chunks[0]?.documentId ?? '') ?? [];
    list.push(...chunks.filter((c) => c.text.split(/\s+/).length >= MIN_CHUNK_WORDS));
    if (chunks[0]) byDocument.set(chunks[0].documentId, list);
  }
  const queues = shuffled([...byDocument.values()], random).map((list) => shuffled(list, random));
  const ordered: ChunkSource[] = [];
  while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) ordered.push(q.shift()!);
  return ordered;
}

function toCase(model: ChatModel, chunk: ChunkSource, item: GeneratedItem, goldPassage: string): GoldenCase {
  return {
    id: `syn-${sha256(`${chunk.documentId}\u0000${item.question}`).slice(0, 12)}`,
    question: item.question,
    referenceAnswer: item.answer,
    relevantDocumentIds: { [chunk.documentId]: 1 },
    ...(chunk.chunkId === undefined ? {} : { relevantChunkIds: [chunk.chunkId] }),
    goldPassages: [goldPassage],
    tags: ['synthetic', 'llm'],
    metadata: { generator: LLM_GENERATION_PROMPT_VERSION, model: `${model.provider}/${model.modelId}`, source: chunk.source ?? chunk.documentId },
  };
}
