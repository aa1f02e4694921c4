/** The commented default configuration that `plumb init` writes. Every value shown is the default. */
export const DEFAULT_CONFIG_YAML = `# plumb configuration. Every value below is the default; delete what you do not change.
# Environment variables override this file: PLUMB_<SECTION>__<KEY>, e.g. PLUMB_SERVER__PORT=9000,
# PLUMB_DATA_DIR=/var/lib/plumb, PLUMB_ANSWER__PROVIDER=openai-compatible. PORT also sets server.port.

# Where the store (SQLite), caches and traces live.
dataDir: .plumb
# Tenant used by the CLI and by the open local mode of the server.
defaultTenant: default

store:
  # "sqlite" = <dataDir>/plumb.db; or "sqlite:/path/to/file.db".
  url: sqlite
  # How long ledger rows and traces wait to be committed together (ms). Reads never wait for it;
  # a hard crash (kill -9, power loss) can lose the rows of this window. 0: every event-loop turn.
  groupCommitMs: 25

server:
  # 127.0.0.1 keeps the API on this machine. Binding elsewhere requires API keys (auth: auto).
  host: 127.0.0.1
  port: 8787
  maxBodyBytes: 20971520
  # auto: no key needed on loopback, keys required otherwise; required: always; open: never (loopback only).
  auth: auto
  # How long a key's tenant is remembered; a key revoked elsewhere (CLI, another replica) works at most this long.
  apiKeyCacheMs: 1000
  # Processes serving the port (one per core to use). Above 1, limits and budgets must be on Redis.
  workers: 1
  # On SIGTERM: how long answers under way may finish (new connections refused) before they are cut.
  shutdownGraceMs: 10000

tracing:
  # The share of traces kept (stored and exported); failed requests' traces are always kept and the
  # cost ledger is never sampled. Default 1, or OTEL_TRACES_SAMPLER=traceidratio + _ARG.
  # sampleRate: 0.1
  # Also send traces to an OpenTelemetry collector (OTLP/HTTP, JSON):
  # uncomment endpoint, or set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 as for any service.
  otlp:
    # endpoint: http://127.0.0.1:4318/v1/traces
    # headers: { x-api-key: "..." }   # OTEL_EXPORTER_OTLP_HEADERS adds to these
    # serviceName: plumb              # default OTEL_SERVICE_NAME, else plumb
    headers: {}
    timeoutMs: 10000
    delayMs: 1000
    # Spans held while the collector is down; past this new traces are dropped (counted in /healthz).
    maxQueueSpans: 20000
    maxBatchSpans: 1000
    maxRetries: 5

ingest:
  # Files larger than this are skipped with a reason.
  maxFileBytes: 20971520
  # Glob patterns to leave out (node_modules and .git are always left out; .gitignore and .plumbignore are honoured).
  exclude: []
  # Fields of .json/.jsonl records that hold the text, the id and the title, tried in order.
  records:
    textField: [text, content, body]
    idField: [_id, id]
    titleField: [title]
  chunk:
    # Chunk size and overlap in real BPE tokens.
    maxTokens: 512
    overlapTokens: 64
    encoding: o200k_base

embeddings:
  # offline: bundled word vectors with SIF weighting (no network, fast);
  # openai-compatible: OpenAI, Ollama, vLLM, LM Studio (set baseUrl, model, dimensions; key from OPENAI_API_KEY);
  # none: keyword (BM25) retrieval only.
  provider: offline
  # baseUrl: http://127.0.0.1:11434/v1
  # model: nomic-embed-text
  # dimensions: 768
  batchSize: 64

retrieval:
  # bm25, vector or hybrid (both, fused as set under fusion).
  mode: hybrid
  k: 8
  # BM25 parameters, measured on SciFact (bench/scifact): Lucene's k1/b, Porter stemming,
  # English stopwords, and the document title counted twice.
  bm25:
    k1: 1.2
    b: 0.75
    stemming: true
    stopwords: true
    titleWeight: 2
  fusion:
    # score: min-max-normalised BM25 + vectorWeight x cosine (best with the offline vectors);
    # rrf: weighted reciprocal rank fusion, 1/(rrfK + rank) per retriever (try it with strong embeddings).
    method: score
    rrfK: 60
    bm25Weight: 1
    vectorWeight: 0.3
  # How often (ms) the server checks for documents another process (plumb ingest) changed.
  refreshIntervalMs: 1000
  # Set to turn on MMR diversity (1 = relevance only, 0 = diversity only).
  # mmrLambda: 0.7

answer:
  # extractive: offline, no LLM — picks the retrieved sentences that best answer the question, with citations.
  # openai-compatible: OpenAI, Ollama, vLLM, llama.cpp server, Groq (key from OPENAI_API_KEY);
  # anthropic: the Messages API (key from ANTHROPIC_API_KEY).
  provider: extractive
  # baseUrl: https://api.openai.com/v1
  # model: gpt-4o-mini
  # Tokens of retrieved context the prompt may hold.
  contextBudgetTokens: 3000
  maxOutputTokens: 512
  timeoutMs: 60000
  # Prices per million tokens, for the cost shown on every answer and trace.
  # price: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 }

# The gateway every model call goes through (docs/gateway.md has a full example):
# providers with retries, circuit breakers and timeouts; fallback chains; aliases callers
# use as "model" (set answer.provider: gateway and answer.model: <alias> to answer through one).
gateway:
  providers: {}
  fallbacks: {}
  aliases: {}
  prices: {}

cache:
  # Exact cache of deterministic requests (temperature 0 or unset), per tenant.
  exact: true
  # Semantic cache: off, shadow (measure would-be hits, serve none) or on.
  semantic: "off"
  # The semantic verifier's sentence encoder: use-lite (more hits; a ~180 MB model on its own thread
  # while the semantic cache is on) or none (word-level verifier only).
  encoder: use-lite
  # USE-lite threads (each ~180 MB; one sustains ~50 questions/s on 2 cores).
  encoderThreads: 1
  ttlSeconds: 3600
  # memory (this process), sqlite (<dataDir>/cache.db, kept across restarts), { sqlite: /path/cache.db },
  # or { redis: redis://127.0.0.1:6379 } to share between replicas.
  backend: memory

# Per-tenant budgets (tokens and/or usd, daily and/or monthly, hard or soft); "*" = any tenant.
budgets:
  backend: memory
  tenants: {}
  defaultMaxOutputTokens: 4096

# Per-tenant rate limits (rpm, tpm); "*" = any tenant.
limits:
  backend: memory
  tenants: {}
  providers: {}
  defaultMaxOutputTokens: 1024
`;
