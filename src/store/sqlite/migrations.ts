/**
 * The SQLite schema as an ordered list of numbered migrations. Each runs in its own transaction
 * and is recorded in `schema_migrations`, so reopening a database applies only what is missing and
 * a database written by a newer plumb is refused instead of being misread.
 */
import type Database from 'better-sqlite3';
import { PlumbError } from '../../core/errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Append only: never edit a migration that has shipped; add a new one instead. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
      );

      CREATE TABLE documents (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT,
        mime_type TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        metadata TEXT NOT NULL,
        char_count INTEGER NOT NULL,
        chunk_count INTEGER NOT NULL,
        token_count INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX documents_by_source ON documents(tenant_id, source, id);

      -- seq is an explicit rowid alias: VACUUM may renumber implicit rowids, and both the FTS
      -- index and the scan cursor rely on it staying put. (tenant_id, id) is the logical key.
      CREATE TABLE chunks (
        seq INTEGER PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        heading_path TEXT NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        token_count INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        metadata TEXT NOT NULL,
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, document_id) REFERENCES documents(tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX chunks_by_document ON chunks(tenant_id, document_id, ordinal);
      CREATE INDEX chunks_by_tenant_seq ON chunks(tenant_id, seq);

      CREATE TABLE chunk_vectors (
        tenant_id TEXT NOT NULL,
        model TEXT NOT NULL,
        chunk_id TEXT NOT NULL,
        dims INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (tenant_id, model, chunk_id),
        FOREIGN KEY (tenant_id, chunk_id) REFERENCES chunks(tenant_id, id) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX chunk_vectors_by_chunk ON chunk_vectors(tenant_id, chunk_id);

      CREATE TABLE embedding_cache (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        dims INTEGER NOT NULL,
        vector BLOB NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, model, content_hash)
      ) WITHOUT ROWID;

      -- Contentless: the text lives once, in chunks; triggers keep the index in step. Every
      -- search joins back to chunks on seq and filters by tenant there.
      CREATE VIRTUAL TABLE chunks_fts USING fts5(
        text, title,
        content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text, title) VALUES (
          new.seq, new.text,
          coalesce((SELECT title FROM documents WHERE tenant_id = new.tenant_id AND id = new.document_id), '')
        );
      END;

      CREATE TRIGGER chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.seq;
      END;

      -- Fires on every upsert of a kept chunk, which also picks up a changed document title.
      CREATE TRIGGER chunks_fts_after_update AFTER UPDATE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.seq;
        INSERT INTO chunks_fts(rowid, text, title) VALUES (
          new.seq, new.text,
          coalesce((SELECT title FROM documents WHERE tenant_id = new.tenant_id AND id = new.document_id), '')
        );
      END;

      -- A vector describes the text it was computed from; new text makes it stale.
      CREATE TRIGGER chunk_vectors_stale_on_new_text AFTER UPDATE OF content_hash ON chunks
      WHEN old.content_hash IS NOT new.content_hash BEGIN
        DELETE FROM chunk_vectors WHERE tenant_id = old.tenant_id AND chunk_id = old.id;
      END;

      CREATE TABLE ingest_runs (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        report TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX ingest_runs_by_start ON ingest_runs(tenant_id, started_at DESC);

      CREATE TABLE traces (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        trace_id TEXT NOT NULL,
        name TEXT NOT NULL,
        start_time REAL NOT NULL,
        duration_ms REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        span_count INTEGER NOT NULL,
        spans TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, trace_id)
      );
      CREATE INDEX traces_by_start ON traces(tenant_id, start_time DESC);

      CREATE TABLE api_keys (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        PRIMARY KEY (tenant_id, id)
      );
    `,
  },
  {
    version: 2,
    name: 'tenant write counters per writer',
    sql: `
      -- One row per (tenant, store instance that wrote it): an instance finds out that another
      -- process changed a tenant by summing the other writers' counters.
      CREATE TABLE tenant_writes (
        tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        writer_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, writer_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'evaluation runs, case results, judge cache and calibrations',
    sql: `
      CREATE TABLE eval_runs (
        tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        summary TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX eval_runs_by_name ON eval_runs (tenant_id, name, created_at);

      -- One row per case as soon as it is scored: a killed run resumes from here.
      CREATE TABLE eval_case_results (
        tenant_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        result TEXT NOT NULL,
        PRIMARY KEY (tenant_id, run_id, case_id),
        FOREIGN KEY (tenant_id, run_id) REFERENCES eval_runs (tenant_id, id) ON DELETE CASCADE
      );

      CREATE TABLE judge_cache (
        tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        judge_version TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, key)
      ) WITHOUT ROWID;

      CREATE TABLE judge_calibrations (
        tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        judge_version TEXT NOT NULL,
        calibration TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, judge_version)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'cost ledger',
    sql: `
      -- One row per gateway request. seq gives a stable booking order within a millisecond; cost
      -- is integer nano-dollars so SUM() over rows is exact.
      CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        route TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
        cached_input_tokens INTEGER NOT NULL CHECK (cached_input_tokens >= 0),
        reasoning_tokens INTEGER NOT NULL CHECK (reasoning_tokens >= 0),
        cost_nano_usd INTEGER NOT NULL CHECK (cost_nano_usd >= 0),
        cache_hit TEXT NOT NULL CHECK (cache_hit IN ('none', 'exact', 'semantic')),
        latency_ms REAL NOT NULL,
        first_token_ms REAL,
        status TEXT NOT NULL,
        streamed INTEGER NOT NULL CHECK (streamed IN (0, 1)),
        attempts INTEGER NOT NULL,
        tags TEXT NOT NULL,
        created_at TEXT NOT NULL,
        request_id TEXT NOT NULL,
        trace_id TEXT,
        UNIQUE (tenant_id, id)
      );
      CREATE INDEX ledger_by_time ON ledger (tenant_id, created_at, seq);
    `,
  },
  {
    version: 5,
    name: 'ledger: prompt-cache write tokens',
    sql: `
      -- Anthropic bills prompt-cache writes at 1.25x input; rows booked before this column existed
      -- counted them as plain input, which 0 here keeps saying.
      ALTER TABLE ledger ADD COLUMN cache_write_input_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cache_write_input_tokens >= 0);
    `,
  },
];

/** The newest schema version this code knows. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Brings the database up to LATEST_SCHEMA_VERSION; refuses a database from a newer plumb. */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const latestKnown = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const currentVersion = db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');

  assertNotNewer(currentVersion.get() as number, latestKnown, db.name);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock first, so two processes opening one file at once cannot
    // both apply the same migration; the version is re-read under the lock.
    db.transaction(() => {
      if ((currentVersion.get() as number) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

function assertNotNewer(current: number, latestKnown: number, fileName: string): void {
  if (current <= latestKnown) return;
  throw new PlumbError(
    'invalid_config',
    `The database ${fileName} has schema version ${current}, but this plumb only knows up to version ${latestKnown}.`,
    {
      hint: 'It was written by a newer plumb: upgrade plumb, or point the store at another database file.',
      details: { schemaVersion: current, supportedVersion: latestKnown },
    },
  );
}
