/**
 * The SQLite cache backend: cached answers that survive a restart on one machine, without Redis.
 * It lives in its own file (default `<dataDir>/cache.db`), apart from the store, because a cache
 * is disposable: deleting the file loses nothing but hits, and its writes never contend with the
 * ledger's. Every row carries its tenant and every statement filters on it.
 *
 * Exact entries are rows keyed (tenant, key); a semantic scope is the rows sharing (tenant, scope),
 * each with its vector as a float32 blob, bounded by `maxEntriesPerScope` (oldest out first).
 * Expired rows are skipped by every read and deleted in sweeps every `sweepEvery` writes. Each
 * entry's documents are rows of `cache_documents`, so invalidation is one indexed delete.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PlumbError } from '../../core/errors.ts';
import { StatementCache } from '../../store/sqlite/statement-cache.ts';
import type { CacheBackend } from './cache-backend.ts';
import type { CacheEntry, SemanticEntry } from './cached-answer.ts';

export interface SqliteCacheBackendOptions {
  /** The cache file (parent folders are created), or ':memory:'. */
  path: string;
  /** Most entries per semantic scope; the oldest go first. Default 1,000. */
  maxEntriesPerScope?: number;
  /** Delete expired rows after this many writes. Default 500. */
  sweepEvery?: number;
  /** Clock, for tests of expiry. */
  now?: () => number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cache_exact (
    tenant_id TEXT NOT NULL, key TEXT NOT NULL, entry TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS cache_semantic (
    tenant_id TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, entry TEXT NOT NULL, vector BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, scope, id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS cache_documents (
    tenant_id TEXT NOT NULL, document_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('x', 's')),
    scope TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (tenant_id, document_id, kind, scope, key)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS cache_exact_expiry ON cache_exact (expires_at);
  CREATE INDEX IF NOT EXISTS cache_semantic_expiry ON cache_semantic (expires_at);
`;

/** Opens (creating) a SQLite cache backend. */
export function createSqliteCacheBackend(options: SqliteCacheBackendOptions): CacheBackend {
  return new SqliteCacheBackend(options);
}

class SqliteCacheBackend implements CacheBackend {
  readonly name = 'sqlite';
  readonly #db: Database.Database;
  readonly #sql: StatementCache;
  readonly #maxPerScope: number;
  readonly #sweepEvery: number;
  readonly #now: () => number;
  #writes = 0;

  constructor(options: SqliteCacheBackendOptions) {
    this.#db = openCacheFile(options.path);
    this.#sql = new StatementCache(this.#db);
    this.#maxPerScope = options.maxEntriesPerScope ?? 1000;
    this.#sweepEvery = options.sweepEvery ?? 500;
    this.#now = options.now ?? Date.now;
  }

  async getExact(tenantId: string, key: string): Promise<CacheEntry | undefined> {
    const raw = this.#sql.get('SELECT entry FROM cache_exact WHERE tenant_id = ? AND key = ? AND expires_at > ?').pluck().get(tenantId, key, this.#now());
    return typeof raw === 'string' ? (JSON.parse(raw) as CacheEntry) : undefined;
  }

  async setExact(tenantId: string, key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    this.#write(() => {
      this.#sql
        .get('INSERT INTO cache_exact (tenant_id, key, entry, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO UPDATE SET entry = excluded.entry, expires_at = excluded.expires_at')
        .run(tenantId, key, JSON.stringify(entry), this.#expiry(ttlMs));
      this.#indexDocuments(tenantId, entry.documentIds, 'x', '', key);
    });
  }

  async addSemantic(tenantId: string, scope: string, entry: SemanticEntry, ttlMs: number): Promise<void> {
    const { vector, ...rest } = entry;
    this.#write(() => {
      this.#sql
        .get('INSERT OR REPLACE INTO cache_semantic (tenant_id, scope, id, entry, vector, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(tenantId, scope, entry.id, JSON.stringify(rest), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), this.#expiry(ttlMs));
      this.#indexDocuments(tenantId, entry.documentIds, 's', scope, entry.id);
      // Ids start with the time they were made, so the smallest ids are the oldest entries.
      this.#sql
        .get(
          `DELETE FROM cache_semantic WHERE tenant_id = ? AND scope = ? AND id IN (
             SELECT id FROM cache_semantic WHERE tenant_id = ? AND scope = ? ORDER BY id DESC LIMIT -1 OFFSET ?)`,
        )
        .run(tenantId, scope, tenantId, scope, this.#maxPerScope);
    });
  }

  async scanSemantic(tenantId: string, scope: string): Promise<SemanticEntry[]> {
    const rows = this.#sql
      .get('SELECT entry, vector FROM cache_semantic WHERE tenant_id = ? AND scope = ? AND expires_at > ?')
      .all(tenantId, scope, this.#now()) as Array<{ entry: string; vector: Buffer }>;
    return rows.map((row) => {
      // Copy into an aligned buffer: a Float32Array view needs a 4-byte-aligned offset.
      const vector = new Float32Array(row.vector.byteLength / 4);
      new Uint8Array(vector.buffer).set(row.vector);
      return { ...(JSON.parse(row.entry) as Omit<SemanticEntry, 'vector'>), vector };
    });
  }

  async invalidateDocuments(tenantId: string, documentIds: readonly string[]): Promise<number> {
    let dropped = 0;
    this.#write(() => {
      const dependents = this.#sql.get('SELECT kind, scope, key FROM cache_documents WHERE tenant_id = ? AND document_id = ?');
      const dropExact = this.#sql.get('DELETE FROM cache_exact WHERE tenant_id = ? AND key = ? AND expires_at > ?');
      const dropSemantic = this.#sql.get('DELETE FROM cache_semantic WHERE tenant_id = ? AND scope = ? AND id = ? AND expires_at > ?');
      const now = this.#now();
      for (const documentId of documentIds) {
        for (const row of dependents.all(tenantId, documentId) as Array<{ kind: 'x' | 's'; scope: string; key: string }>) {
          dropped += (row.kind === 'x' ? dropExact.run(tenantId, row.key, now) : dropSemantic.run(tenantId, row.scope, row.key, now)).changes;
        }
        this.#sql.get('DELETE FROM cache_documents WHERE tenant_id = ? AND document_id = ?').run(tenantId, documentId);
      }
    });
    return dropped;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** One transaction per write, and now and then a sweep of expired rows. */
  #write(operation: () => void): void {
    if (!this.#db.open) throw new PlumbError('unavailable', 'The SQLite cache is closed.', { retryable: false });
    this.#db.transaction(operation).immediate();
    if (++this.#writes % this.#sweepEvery === 0) this.sweep();
  }

  /** Deletes expired entries and document links that point at nothing. */
  sweep(): void {
    const now = this.#now();
    this.#db.transaction(() => {
      this.#sql.get('DELETE FROM cache_exact WHERE expires_at <= ?').run(now);
      this.#sql.get('DELETE FROM cache_semantic WHERE expires_at <= ?').run(now);
      this.#db.exec(`
        DELETE FROM cache_documents WHERE kind = 'x' AND NOT EXISTS
          (SELECT 1 FROM cache_exact e WHERE e.tenant_id = cache_documents.tenant_id AND e.key = cache_documents.key);
        DELETE FROM cache_documents WHERE kind = 's' AND NOT EXISTS
          (SELECT 1 FROM cache_semantic s WHERE s.tenant_id = cache_documents.tenant_id AND s.scope = cache_documents.scope AND s.id = cache_documents.key);
      `);
    })();
  }

  #indexDocuments(tenantId: string, documentIds: readonly string[] | undefined, kind: 'x' | 's', scope: string, key: string): void {
    if (!documentIds?.length) return;
    const link = this.#sql.get('INSERT OR IGNORE INTO cache_documents (tenant_id, document_id, kind, scope, key) VALUES (?, ?, ?, ?, ?)');
    for (const documentId of documentIds) link.run(tenantId, documentId, kind, scope, key);
  }

  #expiry(ttlMs: number): number {
    return this.#now() + Math.max(1, Math.round(ttlMs));
  }
}

function openCacheFile(filePath: string): Database.Database {
  try {
    if (filePath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    const db = new Database(filePath);
    if (filePath !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    // A cache may lose its last writes in a power cut; it must never be corrupt, which WAL ensures.
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    throw new PlumbError('unavailable', `Cannot open the SQLite cache at ${filePath}: ${(err as Error).message}`, {
      hint: 'Check that the folder is writable. The cache file can be deleted safely: it only holds cached answers.',
      cause: err,
      retryable: false,
    });
  }
}
