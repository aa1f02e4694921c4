/**
 * plumb as a library: `createPlumb()` builds everything from configuration and returns the
 * Plumb object whose methods the CLI and the HTTP server also use.
 */
export { createPlumb, createChatModel, createEmbedder, type CreatePlumbOptions } from './app.ts';
export { Plumb, type AskCallOptions, type RetrieveOptions, type TenantOption, type TextDocument } from './plumb.ts';
export { loadConfig, type LoadConfigOptions } from './config/load-config.ts';
export type { PlumbConfig, PlumbConfigInput } from './config/schema.ts';

export { PlumbError, type ErrorCode } from './core/errors.ts';
export type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, ContextPassage, EmbeddingModel, EmbedResult, Message, ResponseFormat, ToolCall, ToolDefinition } from './core/model.ts';
export type { ChunkRecord, DocumentInput, DocumentRecord, RetrievalFilter, RetrievedChunk } from './core/document.ts';
export type { Store } from './core/store.ts';
export type { SpanRecord, TraceRecord } from './core/trace.ts';
export type { Cost, ModelPrice, Usage } from './core/usage.ts';

export { span, trace, currentSpan } from './observe/tracer.ts';
export type { AskEvent, AskResult } from './rag/pipeline/ask.ts';
export type { IngestResult } from './rag/pipeline/ingest-pipeline.ts';
export type { Answer, Citation } from './rag/answer/index.ts';
export { ExtractiveAnswerer } from './rag/answer/index.ts';
export { Retriever, type RetrievalMode } from './rag/retrieve/index.ts';
export { createOpenAICompatibleChat, createOpenAICompatibleEmbeddings } from './providers/openai-compatible/index.ts';
export { createAnthropicChat } from './providers/anthropic/index.ts';
export { createOfflineEmbedder } from './providers/offline/embedder-factory.ts';
export { SqliteStore, openStore } from './store/index.ts';
export { createApp } from './server/create-app.ts';
export { startServer, type RunningServer } from './server/start-server.ts';
