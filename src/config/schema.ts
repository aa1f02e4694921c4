/**
 * The one configuration of plumb: a `plumb.config.json|yaml` file plus `PLUMB_*` environment
 * overrides, validated here so a bad value is reported with the key that holds it.
 */
import { z } from 'zod';
import { DEFAULT_GROUP_COMMIT_MS } from '../store/sqlite/group-commit-default.ts';
import { budgetsConfigSchema } from '../gateway/budgets/budget-config-schema.ts';
import { gatewayConfigSchema, priceSchema } from '../gateway/config/gateway-config-schema.ts';
import { counterBackendSchema, limitsConfigSchema } from '../gateway/limits/limits-config-schema.ts';
import { routingConfigSchema } from '../gateway/routing/routing-config-schema.ts';

/** Where cached answers live: the counters' backends plus a SQLite file of their own. */
const cacheBackendSchema = z.union([
  z.literal('sqlite'),
  z.object({ sqlite: z.string().min(1) }).strict(),
  counterBackendSchema,
]);

export const configSchema = z
  .object({
    /** Where the store, caches and logs live. */
    dataDir: z.string().min(1).default('.plumb'),
    /** Tenant used by the CLI and by the open local mode. */
    defaultTenant: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default('default'),
    store: z
      .object({
        /** `sqlite` (file in dataDir), `sqlite:/path/to/file.db`, or a path. */
        url: z.string().min(1).default('sqlite'),
        /**
         * How long ledger rows and traces may wait to be committed together (ms). Longer windows
         * book more requests per commit (25 ms served 1.06–1.12× the requests/s of 5 ms at ten
         * connections, bench/gateway-overhead/LAYERS.md); a hard crash loses at most this window's rows.
         */
        groupCommitMs: z.number().int().min(0).max(1_000).default(DEFAULT_GROUP_COMMIT_MS),
      })
      .strict()
      .prefault({}),
    /** Traces are stored (a sample of them with `sampleRate`); with `otlp.endpoint` they are also sent to an OpenTelemetry collector. */
    tracing: z
      .object({
        /**
         * The share of traces kept, stored and exported (0–1); traces of failed requests are always
         * kept, ledger rows are never sampled. Unset: OTEL_TRACES_SAMPLER / _ARG, else 1 (all).
         */
        sampleRate: z.number().min(0).max(1).optional(),
        otlp: z
          .object({
            /**
             * The collector's OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces. Unset: no
             * export. OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is) or OTEL_EXPORTER_OTLP_ENDPOINT
             * (+ /v1/traces) set it too.
             */
            endpoint: z.string().url().refine((u) => /^https?:/i.test(u), 'must be an http:// or https:// URL').optional(),
            /** Sent with every export, e.g. a vendor's API key; OTEL_EXPORTER_OTLP_HEADERS adds to them. */
            headers: z.record(z.string(), z.string()).default({}),
            /** `service.name` of the spans; default OTEL_SERVICE_NAME, else "plumb". */
            serviceName: z.string().min(1).optional(),
            /** Per export request. */
            timeoutMs: z.number().int().positive().default(10_000),
            /** How long a finished trace may wait to be sent with others. */
            delayMs: z.number().int().min(0).default(1_000),
            /** Spans held while the collector is slow or down; beyond this new traces are dropped (and counted). */
            maxQueueSpans: z.number().int().positive().default(20_000),
            maxBatchSpans: z.number().int().positive().default(1_000),
            /** Retries of a batch refused for now (429, 502–504, network errors), with backoff. */
            maxRetries: z.number().int().min(0).default(5),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8787),
        /** Largest request body accepted, in bytes. */
        maxBodyBytes: z.number().int().positive().default(20 * 1024 * 1024),
        /**
         * `auto`: open (no key) only when bound to loopback; `required`: always ask for a key;
         * `open`: never ask (refused on a non-loopback host).
         */
        auth: z.enum(['auto', 'required', 'open']).default('auto'),
        /**
         * How long the server remembers which tenant a key belongs to. A key revoked by another
         * process (the CLI, another replica) keeps working at most this long; 0 looks up every request.
         */
        apiKeyCacheMs: z.number().int().min(0).default(1000),
        /**
         * Processes serving the port (node:cluster), for machines with more cores than one
         * process can use. Above 1, rate limits and budgets must live on Redis (each process would
         * otherwise spend the whole budget), and an in-memory cache moves to `<dataDir>/cache.db`.
         */
        workers: z.number().int().min(1).max(64).default(1),
        /**
         * On SIGTERM / SIGINT: how long requests already being answered may run on (new connections
         * are refused, idle ones closed) before the rest are cut. Every call gets its ledger row either way.
         */
        shutdownGraceMs: z.number().int().min(0).max(600_000).default(10_000),
      })
      .strict()
      .prefault({}),
    ingest: z
      .object({
        maxFileBytes: z.number().int().positive().default(20 * 1024 * 1024),
        include: z.array(z.string()).optional(),
        exclude: z.array(z.string()).default([]),
        /** Which fields of .json/.jsonl records hold the text, id and title (each tried in order). */
        records: z
          .object({
            textField: z.array(z.string().min(1)).min(1).default(['text', 'content', 'body']),
            idField: z.array(z.string().min(1)).min(1).default(['_id', 'id']),
            titleField: z.array(z.string().min(1)).min(1).default(['title']),
          })
          .strict()
          .prefault({}),
        chunk: z
          .object({
            maxTokens: z.number().int().min(16).max(8192).default(512),
            overlapTokens: z.number().int().min(0).default(64),
            encoding: z.enum(['o200k_base', 'cl100k_base']).default('o200k_base'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    embeddings: z
      .object({
        /** `offline` (bundled word vectors, SIF), `openai-compatible`, or `none` (BM25 only). */
        provider: z.enum(['offline', 'openai-compatible', 'none']).default('offline'),
        baseUrl: z.string().url().optional(),
        apiKey: z.string().optional(),
        model: z.string().optional(),
        dimensions: z.number().int().positive().optional(),
        batchSize: z.number().int().positive().default(64),
        price: priceSchema.optional(),
      })
      .strict()
      .prefault({}),
    retrieval: z
      .object({
        mode: z.enum(['bm25', 'vector', 'hybrid']).default('hybrid'),
        k: z.number().int().min(1).max(100).default(8),
        bm25: z
          .object({
            // Defaults measured on SciFact train (bench/scifact/RESULTS.md).
            k1: z.number().positive().default(1.2),
            b: z.number().min(0).max(1).default(0.75),
            stemming: z.boolean().default(true),
            stopwords: z.boolean().default(true),
            titleWeight: z.number().nonnegative().default(2),
          })
          .strict()
          .prefault({}),
        fusion: z
          .object({
            /**
             * `score`: min-max BM25 + vectorWeight × cosine (the default: +0.004 nDCG@10 over BM25 on
             * SciFact); `rrf`: weighted reciprocal rank fusion (−0.12 with the offline vectors, which
             * RRF cannot tell from confident hits; better with strong embeddings).
             */
            method: z.enum(['score', 'rrf']).default('score'),
            rrfK: z.number().positive().default(60),
            bm25Weight: z.number().nonnegative().default(1),
            vectorWeight: z.number().nonnegative().default(0.3),
          })
          .strict()
          .prefault({}),
        /** How often (ms) a loaded index checks for documents another process changed (e.g. `plumb ingest` beside `plumb serve`). */
        refreshIntervalMs: z.number().int().nonnegative().default(1000),
        /** MMR diversity (0 = only diversity, 1 = only relevance); off when absent. */
        mmrLambda: z.number().min(0).max(1).optional(),
      })
      .strict()
      .prefault({}),
    answer: z
      .object({
        /**
         * `extractive` (offline sentence selection, no LLM), `openai-compatible`, `anthropic`, or
         * `gateway` (answer.model names a gateway alias, fallback chain or provider/model).
         */
        provider: z.enum(['extractive', 'openai-compatible', 'anthropic', 'gateway']).default('extractive'),
        baseUrl: z.string().url().optional(),
        apiKey: z.string().optional(),
        model: z.string().optional(),
        /** Tokens of retrieved context the prompt may hold. */
        contextBudgetTokens: z.number().int().min(64).default(3000),
        maxOutputTokens: z.number().int().positive().default(512),
        temperature: z.number().min(0).max(2).optional(),
        timeoutMs: z.number().int().positive().default(60_000),
        price: priceSchema.optional(),
      })
      .strict()
      .prefault({}),
    /** Providers, prices, aliases and fallback chains the gateway routes `model` names to. */
    gateway: gatewayConfigSchema.prefault({}),
    cache: z
      .object({
        /** Exact cache of deterministic requests (temperature 0 or unset), scoped by tenant. */
        exact: z.boolean().default(true),
        /** Semantic cache: off, shadow (measure would-be hits, serve none) or on. */
        semantic: z.enum(['off', 'shadow', 'on']).default('off'),
        ttlSeconds: z.number().int().positive().default(3600),
        /**
         * The sentence encoder whose cosine the semantic verifier uses: use-lite (the default: more
         * hits at the same false hits; loads a ~180 MB model on a thread of its own when the semantic
         * cache is on) or none (the word-level verifier alone, its own calibrated threshold).
         */
        encoder: z.enum(['use-lite', 'none']).default('use-lite'),
        /** USE-lite threads, each with its own ~180 MB copy of the model; one sustains ~50 questions/s on 2 cores. */
        encoderThreads: z.number().int().min(1).max(32).default(1),
        /** Overrides the calibrated semantic threshold (bench/semantic-cache). */
        threshold: z.number().min(0).max(1).optional(),
        /** memory (one process), sqlite (`<dataDir>/cache.db`, survives restarts), { sqlite: path }, or { redis: url } (shared). */
        backend: cacheBackendSchema.default('memory'),
      })
      .strict()
      .prefault({}),
    limits: limitsConfigSchema.prefault({}),
    /** A router model (callers use its name, default "auto"): rules, then cheap vs strong by complexity. */
    routing: routingConfigSchema.optional(),
    budgets: budgetsConfigSchema.prefault({}),
  })
  .strict();

export type PlumbConfig = z.output<typeof configSchema>;
export type PlumbConfigInput = z.input<typeof configSchema>;
