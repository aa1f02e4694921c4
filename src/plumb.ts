/**
 * The plumb library object: every capability the CLI and the HTTP server offer, as typed methods.
 * Built by `createPlumb` (src/app.ts); methods default to the configured tenant.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PlumbConfig } from './config/schema.ts';
import type { DocumentInput, DocumentRecord, RetrievalFilter } from './core/document.ts';
import { PlumbError } from './core/errors.ts';
import { sha256 } from './core/hash.ts';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent, EmbeddingModel, EmbedOptions, EmbedResult } from './core/model.ts';
import type { ApiKeyRecord, Store } from './core/store.ts';
import type { TraceRecord, TraceSummary } from './core/trace.ts';
import { getTokenizer } from './core/tokenizer.ts';
import { PLUMB_VERSION } from './core/version.ts';
import { GenAI } from './observe/gen-ai-attributes.ts';
import { OtlpTraceExporter, type OtlpExportStats } from './observe/otlp/otlp-exporter.ts';
import { postText } from './providers/http/post-text.ts';
import { keepsTrace } from './observe/trace-sampling.ts';
import { TraceWriter } from './observe/trace-writer.ts';
import { endTrace, span, startTrace, trace, type TraceSink } from './observe/tracer.ts';
import { loadFile, loadText } from './rag/ingest/index.ts';
import { ask, askStream, type AskEvent, type AskResult } from './rag/pipeline/ask.ts';
import { ingestDocuments, ingestPaths, type IngestDeps, type IngestResult } from './rag/pipeline/ingest-pipeline.ts';
import type { Gateway } from './gateway/create-gateway.ts';
import type { VectorBackfill } from './rag/pipeline/vector-backfill.ts';
import { ApiKeyCache } from './store/api-key-cache.ts';
import type { RetrievalMode, RetrieveResult, Retriever } from './rag/retrieve/index.ts';

export interface TenantOption {
  /** Defaults to the configured `defaultTenant`. */
  tenantId?: string;
}

export interface RetrieveOptions extends TenantOption {
  k?: number;
  mode?: RetrievalMode;
  filter?: RetrievalFilter;
  mmrLambda?: number;
}

export interface AskCallOptions extends RetrieveOptions {
  history?: ChatRequest['messages'];
  signal?: AbortSignal;
}

/** A document given as text; the fields other than `text` are optional. */
export interface TextDocument {
  text: string;
  id?: string | undefined;
  title?: string | undefined;
  source?: string | undefined;
  mimeType?: string | undefined;
  metadata?: DocumentInput['metadata'] | undefined;
}

/** Which fields of JSON/JSONL records hold the text, id and title (each tried in order). */
export interface RecordFields {
  textField?: string[];
  idField?: string[];
  titleField?: string[];
}

export interface PlumbParts {
  config: PlumbConfig;
  store: Store;
  retriever: Retriever;
  embedder: EmbeddingModel | null;
  chatModel: ChatModel;
  backfill: VectorBackfill | null;
  gateway: Gateway;
}

export class Plumb {
  readonly config: PlumbConfig;
  readonly store: Store;
  readonly retriever: Retriever;
  readonly embedder: EmbeddingModel | null;
  readonly chatModel: ChatModel;
  private readonly backfill: VectorBackfill | null;
  private readonly traceSink: TraceSink;
  /**
   * Where the trace of a successful gateway call goes once its ledger row (booked under the trace
   * id) stands for it: to the collector only, never stored twice (store/sqlite/ledger-traces.ts).
   */
  private readonly ledgerTraceSink: TraceSink | undefined;
  /** Traces are written after the answer has gone out; reads flush first. */
  private readonly traces: TraceWriter;
  /** Sends traces to an OpenTelemetry collector too, when `tracing.otlp.endpoint` is set. */
  private readonly traceExport: OtlpTraceExporter | undefined;
  /** Caching, budgets, limits, provider aliases and fallback chains around every model call. */
  readonly gateway: Gateway;
  /** Which tenant a key belongs to, remembered for `server.apiKeyCacheMs`. */
  private readonly apiKeys: ApiKeyCache;

  constructor(parts: PlumbParts) {
    this.config = parts.config;
    this.store = parts.store;
    this.retriever = parts.retriever;
    this.embedder = parts.embedder;
    this.chatModel = parts.chatModel;
    this.backfill = parts.backfill;
    this.gateway = parts.gateway;
    this.traces = new TraceWriter((t) => this.store.saveTrace(t));
    this.traceExport = otlpExporterFor(this.config);
    const toStore = this.traces.sink;
    const toCollector = this.traceExport?.sink;
    const both: TraceSink = toCollector
      ? (t) => {
          void toStore(t);
          void toCollector(t);
        }
      : toStore;
    const sampleRate = this.config.tracing.sampleRate ?? 1;
    const sampled = (sink: TraceSink): TraceSink => (sampleRate >= 1 ? sink : (t) => (keepsTrace(t, sampleRate) ? sink(t) : undefined));
    this.traceSink = sampled(both);
    this.ledgerTraceSink = toCollector && sampled(toCollector);
    this.apiKeys = new ApiKeyCache(async (key) => {
      const record = await this.store.findApiKeyByHash(sha256(key));
      return record && !record.revokedAt ? record.tenantId : null;
    }, { ttlMs: this.config.server.apiKeyCacheMs });
  }

  /** Ingests files and directories (recursively), reporting what was skipped and why. */
  async ingest(paths: string[], options: TenantOption & { progress?: boolean; waitForVectors?: boolean; exclude?: string[]; records?: RecordFields } = {}): Promise<IngestResult> {
    const deps = this.ingestDeps();
    if (options.records) deps.loading = { ...deps.loading, records: { ...deps.loading.records, ...options.records } };
    return this.afterChange(this.tenant(options), ingestPaths(deps, paths, {
      tenantId: this.tenant(options),
      waitForVectors: options.waitForVectors ?? true,
      ...(options.progress !== undefined ? { progress: options.progress } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
    }));
  }

  /** Adds documents given as text (the API's JSON upload, library callers). */
  async addDocuments(documents: TextDocument[], options: TenantOption & { waitForVectors?: boolean } = {}): Promise<IngestResult> {
    const loaded: DocumentInput[] = [];
    for (const doc of documents) {
      const result = loadText(
        {
          text: doc.text,
          ...(doc.title !== undefined ? { title: doc.title } : {}),
          ...(doc.id !== undefined ? { id: doc.id } : {}),
          ...(doc.source !== undefined ? { source: doc.source } : {}),
          ...(doc.mimeType !== undefined ? { mimeType: doc.mimeType } : {}),
        },
        { maxFileBytes: this.config.ingest.maxFileBytes },
      );
      if (!result.ok) throw new PlumbError('bad_request', `document ${doc.id ?? doc.title ?? ''} rejected: ${result.message}`.replace('  ', ' '), { details: { reason: result.reason } });
      for (const d of result.documents as DocumentInput[]) loaded.push(doc.metadata ? { ...d, metadata: { ...(d.metadata ?? {}), ...doc.metadata } } : d);
    }
    return this.afterChange(this.tenant(options), ingestDocuments(this.ingestDeps(), loaded, { tenantId: this.tenant(options), waitForVectors: options.waitForVectors ?? false }));
  }

  /** Adds an uploaded file (bytes plus its original name, whose extension picks the loader). */
  async addFile(fileName: string, bytes: Uint8Array, options: TenantOption & { waitForVectors?: boolean; metadata?: Record<string, string> } = {}): Promise<IngestResult> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plumb-upload-'));
    const safeName = path.basename(fileName).replace(/[^\w.-]+/g, '_') || 'upload.txt';
    const filePath = path.join(dir, safeName);
    try {
      await fs.writeFile(filePath, bytes);
      const result = await loadFile(filePath, { maxFileBytes: this.config.ingest.maxFileBytes });
      if (!result.ok) {
        const code = result.reason === 'unsupported_type' || result.reason === 'binary' ? 'unsupported_file' : result.reason === 'too_large' ? 'payload_too_large' : 'bad_request';
        throw new PlumbError(code, `${safeName}: ${result.message}`, { details: { reason: result.reason } });
      }
      // The upload's name, not the temp path, is the source users see; it also names the document.
      const documents = result.documents.map((d) => ({
        ...d,
        source: d.source.replace(filePath, `upload:${safeName}`),
        ...(options.metadata ? { metadata: { ...(d.metadata ?? {}), ...options.metadata } } : {}),
      }));
      return await this.afterChange(this.tenant(options), ingestDocuments(this.ingestDeps(), documents, { tenantId: this.tenant(options), waitForVectors: options.waitForVectors ?? false }));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  listDocuments(options: TenantOption & { limit?: number; offset?: number; sourcePrefix?: string } = {}): Promise<DocumentRecord[]> {
    const { tenantId: _t, ...rest } = options;
    return this.store.listDocuments(this.tenant(options), rest);
  }

  /** One document with its chunks; throws not_found for an unknown id. */
  async getDocument(documentId: string, options: TenantOption = {}) {
    const tenantId = this.tenant(options);
    const document = await this.store.getDocument(tenantId, documentId);
    if (!document) throw notFound('document', documentId, 'list documents with `plumb docs list` or GET /v1/documents');
    return { document, chunks: await this.store.getDocumentChunks(tenantId, documentId) };
  }

  /** Deletes a document and its chunks from the store and the index. */
  async deleteDocument(documentId: string, options: TenantOption = {}): Promise<{ deleted: true; chunks: number }> {
    const tenantId = this.tenant(options);
    const removed = await this.store.deleteDocument(tenantId, documentId);
    if (removed === null) throw notFound('document', documentId, 'list documents with `plumb docs list` or GET /v1/documents');
    this.retriever.applyChanges(tenantId, { added: [], removedChunkIds: removed });
    await this.gateway.cache.invalidateDocuments(tenantId, [documentId]);
    return { deleted: true, chunks: removed.length };
  }

  /** Ranked chunks for a query (traced). */
  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrieveResult & { traceId: string }> {
    const tenantId = this.tenant(options);
    requireText(query, 'query');
    return trace('rag.retrieve', { tenantId, sink: this.traceSink, attributes: { [GenAI.tenantId]: tenantId } }, async (root) => {
      const result = await this.retriever.retrieve(tenantId, query, this.retrievalOptions(options));
      return { ...result, traceId: root.traceId };
    });
  }

  /** Answers a question from the documents, with citations, usage, latency and a trace id. */
  ask(question: string, options: AskCallOptions = {}): Promise<AskResult> {
    requireText(question, 'question');
    return ask(this.askDeps(), this.askOptions(question, options));
  }

  /** Streams an answer: retrieval first, then text deltas, then the complete result. */
  askStream(question: string, options: AskCallOptions = {}): AsyncIterable<AskEvent> {
    requireText(question, 'question');
    return askStream(this.askDeps(), this.askOptions(question, options));
  }

  /** Calls the configured chat model directly (traced as a chat span). */
  async chat(request: ChatRequest, options: TenantOption & { model?: string } = {}): Promise<ChatResponse> {
    const tenantId = this.tenant(options);
    const model = this.requireModel(options.model);
    // No child spans below a chat call: the root is passed on explicitly, not through AsyncLocalStorage (see RootSpanOptions.propagate).
    const rootOptions = { tenantId, sink: this.traceSink, propagate: false, attributes: { [GenAI.operationName]: 'chat', [GenAI.requestModel]: model.modelId } };
    return trace('chat', rootOptions, async (root) => {
      const ledgerTrace = { booked: false };
      const response = await model.generate({ ...request, tenantId, traceId: root.traceId, ledgerTrace });
      root.setAttributes({ [GenAI.inputTokens]: response.usage.inputTokens, [GenAI.outputTokens]: response.usage.outputTokens, [GenAI.costUsd]: response.cost.usd });
      if (ledgerTrace.booked) root.redirectTrace(this.ledgerTraceSink);
      // The trace id travels with the answer (the HTTP API sends it as x-plumb-trace-id).
      return { ...response, metadata: { ...response.metadata, traceId: root.traceId } };
    });
  }

  /** Streams from the configured chat model (or a gateway model), traced like `chat`. */
  async *chatStream(request: ChatRequest, options: TenantOption & { model?: string } = {}): AsyncGenerator<ChatStreamEvent> {
    const tenantId = this.tenant(options);
    const model = this.requireModel(options.model);
    const root = startTrace('chat', { tenantId, sink: this.traceSink, attributes: { [GenAI.operationName]: 'chat', [GenAI.requestModel]: model.modelId, 'plumb.streamed': true } });
    const ledgerTrace = { booked: false };
    let finished = false;
    try {
      for await (const event of model.stream({ ...request, tenantId, traceId: root.traceId, ledgerTrace })) {
        if (event.type === 'finish') {
          root.setAttributes({ [GenAI.inputTokens]: event.usage.inputTokens, [GenAI.outputTokens]: event.usage.outputTokens, [GenAI.costUsd]: event.cost.usd });
          // The ledger books the row as the stream ends, as 'ok' once the finish event was seen.
          finished = true;
          yield { ...event, metadata: { ...event.metadata, traceId: root.traceId } };
        } else yield event;
      }
    } catch (error) {
      root.fail(error);
      throw error;
    } finally {
      // The ledger's own stream has ended by now (its finally ran as this loop closed it).
      if (finished && ledgerTrace.booked && root.record.status === 'ok') root.redirectTrace(this.ledgerTraceSink);
      // Not awaited by the consumer's last next(): the trace writer only queues it.
      void endTrace(root);
    }
  }

  /** Cached answers that rest on documents an ingest touched may be stale: drop them. */
  private async afterChange(tenantId: string, run: Promise<IngestResult>): Promise<IngestResult> {
    const result = await run;
    // Only replaced documents: new ones have no cached answers yet, unchanged ones stay valid.
    if (result.replacedDocumentIds.length > 0) await this.gateway.cache.invalidateDocuments(tenantId, result.replacedDocumentIds);
    return result;
  }

  private requireModel(name: string | undefined): ChatModel {
    if (name === undefined) return this.chatModel;
    const model = this.modelFor(name);
    if (!model) throw new PlumbError('not_found', `unknown model "${name}"`, { hint: 'use a gateway alias, fallback chain or provider/model from gateway: in the config (GET /v1/models lists them)' });
    return model;
  }

  /** Embeds texts with a gateway embedding model (an alias), traced like a chat call. */
  async embedWith(model: EmbeddingModel, texts: string[], options: TenantOption & EmbedOptions = {}): Promise<EmbedResult> {
    const tenantId = this.tenant(options);
    const rootOptions = { tenantId, sink: this.traceSink, propagate: false, attributes: { [GenAI.operationName]: 'embeddings', [GenAI.requestModel]: model.modelId } };
    return trace('embeddings', rootOptions, async (root) => {
      const ledgerTrace = { booked: false };
      const result = await model.embed(texts, { ...options, tenantId, traceId: root.traceId, ledgerTrace });
      root.setAttributes({ [GenAI.inputTokens]: result.usage.inputTokens, [GenAI.costUsd]: result.cost.usd });
      if (ledgerTrace.booked) root.redirectTrace(this.ledgerTraceSink);
      if (typeof result.metadata?.['model'] === 'string') root.setAttribute(GenAI.responseModel, result.metadata['model']);
      return { ...result, metadata: { ...result.metadata, traceId: root.traceId } };
    });
  }

  /** Embeds texts with the configured embedder. */
  async embed(texts: string[], options: TenantOption & { purpose?: 'query' | 'document' } = {}): Promise<EmbedResult & { model: string; dimensions: number }> {
    const embedder = this.embedder;
    if (!embedder) throw new PlumbError('bad_request', 'no embedding model is configured (embeddings.provider is "none")', { hint: 'set embeddings.provider to "offline" or "openai-compatible"' });
    const tenantId = this.tenant(options);
    return trace('embeddings', { tenantId, sink: this.traceSink }, () =>
      span('embed', { [GenAI.operationName]: 'embeddings', [GenAI.requestModel]: embedder.modelId }, async (s) => {
        const result = await embedder.embed(texts, { purpose: options.purpose ?? 'document' });
        s?.setAttribute(GenAI.inputTokens, result.usage.inputTokens);
        return { ...result, model: embedder.modelId, dimensions: embedder.dimensions };
      }),
    );
  }

  async getTrace(traceId: string, options: TenantOption = {}): Promise<TraceRecord> {
    await this.traces.flush();
    const found = await this.store.getTrace(this.tenant(options), traceId);
    if (!found) {
      const sampleRate = this.config.tracing.sampleRate ?? 1;
      const sampled = sampleRate < 1 ? `; this server keeps ${sampleRate * 100}% of traces (tracing.sampleRate) and every failed one, so a successful request's trace may not have been kept` : '';
      throw notFound('trace', traceId, `trace ids come back with every answer as traceId${sampled}`);
    }
    return found;
  }

  async listTraces(options: TenantOption & { limit?: number } = {}): Promise<TraceSummary[]> {
    const tenantId = this.tenant(options);
    await this.traces.flush();
    return this.store.listTraces(tenantId, options.limit);
  }

  /** Creates an API key for a tenant. The secret is returned once; only its hash is stored. */
  async createApiKey(tenantId: string, name = 'default'): Promise<{ key: string; record: ApiKeyRecord }> {
    await this.store.ensureTenant(tenantId);
    const key = `plumb_${randomBytes(24).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id: `key_${randomBytes(6).toString('hex')}`,
      tenantId,
      name,
      keyHash: sha256(key),
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    await this.store.putApiKey(record);
    this.apiKeys.clear();
    return { key, record };
  }

  /** The tenant's keys (hashes and labels; the secrets are never stored). */
  async listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    return this.store.listApiKeys(tenantId);
  }

  /** Revokes a key: this process refuses it at once, other processes within `server.apiKeyCacheMs`. */
  async revokeApiKey(tenantId: string, keyId: string): Promise<boolean> {
    const revoked = await this.store.revokeApiKey(tenantId, keyId);
    this.apiKeys.clear();
    return revoked;
  }

  /**
   * The tenant an API key belongs to, or null for an unknown or revoked key. Answers are
   * remembered for `server.apiKeyCacheMs` (a hash and a query per request add up on a gateway).
   */
  async tenantForApiKey(key: string): Promise<string | null> {
    return this.apiKeys.tenantFor(key);
  }

  /**
   * Loads what the first query would otherwise wait for: the tenant's index (awaited), the
   * embedder's model and the semantic cache's encoder (in the background; on a new machine the
   * embedder builds its cache first).
   */
  async warmUp(options: TenantOption = {}): Promise<void> {
    const embedder = this.embedder;
    if (embedder) void embedder.embed(['warm up'], { purpose: 'query' }).catch(() => undefined);
    // The semantic cache's sentence encoder loads its model in ~1 s on its thread: not on the first request.
    void this.gateway.cache.semantic?.warmUp().catch(() => undefined);
    const { chunks } = await this.retriever.warm(this.tenant(options));
    // Questions about these documents will count tokens: load the tables now, not on the first one.
    if (chunks > 0) getTokenizer().count('warm up');
  }

  /** Resolves when every stored chunk of the tenant has its vector. */
  async waitForVectors(options: TenantOption = {}): Promise<void> {
    if (this.backfill) await this.backfill.run(this.tenant(options));
  }

  /** The model a caller names: the configured chat model, or a gateway alias, chain or provider/model. */
  modelFor(name: string): ChatModel | undefined {
    if (name === this.chatModel.modelId) return this.chatModel;
    return this.gateway.resolve(name);
  }

  /** How the export to an OpenTelemetry collector is going; null when none is configured. */
  traceExportStats(): OtlpExportStats | null {
    return this.traceExport?.stats() ?? null;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    await Promise.all([this.traces.flush(), this.traceExport?.close()]);
    await this.store.close();
  }

  private tenant(options: TenantOption): string {
    const tenantId = options.tenantId ?? this.config.defaultTenant;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(tenantId)) throw new PlumbError('bad_request', `invalid tenant id "${tenantId}"`, { hint: 'use 1–64 letters, digits, _ . -' });
    return tenantId;
  }

  private retrievalOptions(options: RetrieveOptions) {
    const mmrLambda = options.mmrLambda ?? this.config.retrieval.mmrLambda;
    return {
      k: options.k ?? this.config.retrieval.k,
      mode: options.mode ?? this.config.retrieval.mode,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(mmrLambda !== undefined ? { mmr: { lambda: mmrLambda } } : {}),
    };
  }

  private askOptions(question: string, options: AskCallOptions) {
    const mmrLambda = options.mmrLambda ?? this.config.retrieval.mmrLambda;
    return {
      tenantId: this.tenant(options),
      question,
      k: options.k ?? this.config.retrieval.k,
      mode: options.mode ?? this.config.retrieval.mode,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(mmrLambda !== undefined ? { mmrLambda } : {}),
      ...(options.history ? { history: options.history } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
  }

  private askDeps() {
    return {
      retriever: this.retriever,
      chatModel: this.chatModel,
      contextBudgetTokens: this.config.answer.contextBudgetTokens,
      maxOutputTokens: this.config.answer.maxOutputTokens,
      traceSink: this.traceSink,
    };
  }

  private ingestDeps(): IngestDeps {
    const { ingest } = this.config;
    return {
      store: this.store,
      retriever: this.retriever,
      backfill: this.backfill,
      chunking: ingest.chunk,
      loading: { maxFileBytes: ingest.maxFileBytes, records: ingest.records },
      exclude: ingest.exclude,
      ...(ingest.include ? { include: ingest.include } : {}),
    };
  }
}

function notFound(what: string, id: string, hint: string): PlumbError {
  return new PlumbError('not_found', `no ${what} with id "${id}" in this tenant`, { hint });
}

function requireText(value: string, name: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new PlumbError('bad_request', `${name} must be a non-empty string`);
}

function otlpExporterFor(config: PlumbConfig): OtlpTraceExporter | undefined {
  const otlp = config.tracing.otlp;
  if (!otlp.endpoint) return undefined;
  return new OtlpTraceExporter({
    url: otlp.endpoint,
    post: postText,
    headers: otlp.headers,
    resource: { serviceName: otlp.serviceName ?? 'plumb', serviceVersion: PLUMB_VERSION },
    delayMs: otlp.delayMs,
    timeoutMs: otlp.timeoutMs,
    maxQueueSpans: otlp.maxQueueSpans,
    maxBatchSpans: otlp.maxBatchSpans,
    maxRetries: otlp.maxRetries,
  });
}
