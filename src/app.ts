/**
 * The one composition root: configuration → object graph (store, models, retriever, backfill) →
 * the Plumb library object. The CLI and the HTTP server both start here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deepMerge, envOverrides, loadConfig, validateConfig, type LoadConfigOptions } from './config/load-config.ts';
import type { PlumbConfig, PlumbConfigInput } from './config/schema.ts';
import { PlumbError } from './core/errors.ts';
import type { ChatModel, EmbeddingModel } from './core/model.ts';
import { modelPriceOf } from './core/usage.ts';
import type { Store } from './core/store.ts';
import { createGateway } from './gateway/create-gateway.ts';
import type { GatewayModels } from './gateway/providers-from-config.ts';
import { Plumb } from './plumb.ts';
import { createAnthropicChat } from './providers/anthropic/index.ts';
import { createOfflineEmbedder } from './providers/offline/embedder-factory.ts';
import { ExtractiveAnswerer } from './rag/answer/extractive-answerer.ts';
import { createOpenAICompatibleChat, createOpenAICompatibleEmbeddings } from './providers/openai-compatible/index.ts';
import { VectorBackfill } from './rag/pipeline/vector-backfill.ts';
import { Retriever } from './rag/retrieve/index.ts';
import { openStore } from './store/index.ts';

export interface CreatePlumbOptions extends LoadConfigOptions {
  /**
   * Configuration given in code. When set, no file is read; env overrides still apply unless
   * `env: {}` is passed.
   */
  config?: PlumbConfigInput;
}

/** Builds a ready-to-use plumb from configuration (file + env, or given in code). */
export async function createPlumb(options: CreatePlumbOptions = {}): Promise<Plumb> {
  const config = options.config !== undefined ? configFromCode(options) : loadConfig(options).config;
  const store = await openConfiguredStore(config);
  const embedder = createEmbedder(config);
  const gateway = await createGateway(config, options.env ?? process.env, store);
  const chatModel = gateway.wrap(createChatModel(config, gateway.models));
  const retriever = new Retriever(store, {
    ...(embedder ? { embedder } : {}),
    bm25: config.retrieval.bm25,
    fusion: config.retrieval.fusion,
    refreshIntervalMs: config.retrieval.refreshIntervalMs,
  });
  const backfill = embedder ? new VectorBackfill(store, embedder, retriever, config.embeddings.batchSize * 4) : null;
  return new Plumb({ config, store, retriever, embedder, chatModel, backfill, gateway });
}

function configFromCode(options: CreatePlumbOptions): PlumbConfig {
  const merged = deepMerge(deepMerge(options.config as Record<string, unknown>, envOverrides(options.env ?? process.env)), options.overrides ?? {});
  return validateConfig(merged, 'createPlumb({ config })', options.env ?? process.env, options.cwd ?? process.cwd());
}

/** Opens the configured store, creating the data directory. */
export function openConfiguredStore(config: PlumbConfig): Promise<Store> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const url = config.store.url === 'sqlite' ? path.join(config.dataDir, 'plumb.db') : config.store.url;
  return openStore(url, { groupCommitMs: config.store.groupCommitMs });
}

/** The configured embedding model, or null for keyword-only retrieval. */
export function createEmbedder(config: PlumbConfig): EmbeddingModel | null {
  const e = config.embeddings;
  if (e.provider === 'none') return null;
  if (e.provider === 'offline') return createOfflineEmbedder();
  return createOpenAICompatibleEmbeddings({
    baseURL: e.baseUrl ?? 'https://api.openai.com/v1',
    model: e.model!,
    dimensions: e.dimensions!,
    maxBatchSize: e.batchSize,
    ...(e.apiKey ? { apiKey: e.apiKey } : {}),
    ...(e.price ? { price: modelPriceOf(e.price) } : {}),
  });
}

/**
 * The configured chat model, before the gateway's tenant-level middleware: the offline extractive
 * answerer unless an LLM provider (or a gateway alias) is set.
 */
export function createChatModel(config: PlumbConfig, gatewayModels?: GatewayModels): ChatModel {
  const a = config.answer;
  switch (a.provider) {
    case 'gateway': {
      const model = gatewayModels?.resolve(a.model!);
      if (!model) {
        throw new PlumbError('invalid_config', `answer.model "${a.model}" is not a gateway alias, fallback chain or provider/model`, {
          hint: `define it under gateway.aliases or gateway.fallbacks (aliases: ${Object.keys(config.gateway.aliases).join(', ') || 'none'})`,
        });
      }
      return model;
    }
    case 'extractive':
      return new ExtractiveAnswerer();
    case 'openai-compatible':
      return createOpenAICompatibleChat({
        baseURL: a.baseUrl ?? 'https://api.openai.com/v1',
        model: a.model!,
        timeoutMs: a.timeoutMs,
        ...(a.apiKey ? { apiKey: a.apiKey } : {}),
        ...(a.price ? { price: modelPriceOf(a.price) } : {}),
      });
    case 'anthropic':
      if (!a.apiKey) throw new PlumbError('invalid_config', 'answer.provider "anthropic" needs an API key', { hint: 'set ANTHROPIC_API_KEY or answer.apiKey' });
      return createAnthropicChat({
        apiKey: a.apiKey,
        model: a.model!,
        maxOutputTokens: a.maxOutputTokens,
        ...(a.baseUrl ? { baseURL: a.baseUrl } : {}),
        ...(a.price ? { price: modelPriceOf(a.price) } : {}),
      });
  }
}

