/**
 * Where cached answers live. One interface for both caches, two implementations (in memory for one
 * process, Redis for many replicas) that pass one contract suite (cache-backend.contract.ts).
 * Every call takes the tenant: entries of one tenant are invisible to another.
 */
import type { CacheEntry, SemanticEntry } from './cached-answer.ts';

export interface CacheBackend {
  readonly name: string;
  /** The exact-cache entry under `key`, or undefined (missing or expired). */
  getExact(tenantId: string, key: string): Promise<CacheEntry | undefined>;
  /** Stores an exact-cache entry for `ttlMs`. */
  setExact(tenantId: string, key: string, entry: CacheEntry, ttlMs: number): Promise<void>;
  /** Adds a semantic entry to a scope for `ttlMs`. */
  addSemantic(tenantId: string, scope: string, entry: SemanticEntry, ttlMs: number): Promise<void>;
  /** Every live entry of a scope (the cache scans them: scopes are small). */
  scanSemantic(tenantId: string, scope: string): Promise<SemanticEntry[]>;
  /** Drops every entry (exact and semantic) that depends on one of the documents; returns how many. */
  invalidateDocuments(tenantId: string, documentIds: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

/** JSON form of a semantic entry (the vector as base64 float32), for backends that store strings. */
export function serialiseSemantic(entry: SemanticEntry, expiresAt: number): string {
  const vector = Buffer.from(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength).toString('base64');
  return JSON.stringify({ ...entry, vector, expiresAt });
}

/** Parses `serialiseSemantic`'s output; undefined when expired by `now`. */
export function parseSemantic(raw: string, now: number): SemanticEntry | undefined {
  const parsed = JSON.parse(raw) as Omit<SemanticEntry, 'vector'> & { vector: string; expiresAt: number };
  if (parsed.expiresAt <= now) return undefined;
  const bytes = Buffer.from(parsed.vector, 'base64');
  // Copy into an aligned buffer: a Float32Array view needs a 4-byte-aligned offset.
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  const { expiresAt: _expiresAt, ...rest } = parsed;
  return { ...rest, vector };
}
