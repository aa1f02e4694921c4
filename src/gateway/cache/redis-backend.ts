/**
 * The Redis cache backend, shared by every replica. Exact entries are plain strings with a TTL
 * (SET … PX). A semantic scope is one hash (entry id → entry JSON with its vector) whose TTL is
 * renewed on each write, each entry also carrying its own expiry; lookups read the whole hash and
 * the cache scans it linearly — fine for the hundreds of entries one tenant × model × template
 * holds, and bounded by `maxEntriesPerScope`. Each document id has a set of the entries that
 * depend on it, for invalidation.
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { parseSemantic, serialiseSemantic, type CacheBackend } from './cache-backend.ts';
import type { CacheEntry, SemanticEntry } from './cached-answer.ts';

export interface RedisCacheBackendOptions {
  /** A connection to use (the caller closes it), or a URL to open one (closed by `close()`). */
  redis?: Redis;
  url?: string;
  /** Prefix of every key, e.g. "plumb:cache:". */
  keyPrefix?: string;
  /** Most entries per semantic scope; the oldest go first. Default 1,000. */
  maxEntriesPerScope?: number;
}

/** Creates a Redis backend. */
export function createRedisCacheBackend(options: RedisCacheBackendOptions = {}): CacheBackend {
  return new RedisCacheBackend(options);
}

class RedisCacheBackend implements CacheBackend {
  readonly name = 'redis';
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly maxPerScope: number;

  constructor(options: RedisCacheBackendOptions) {
    this.owned = options.redis === undefined;
    this.redis = options.redis ?? new (redisClass())(options.url ?? 'redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.prefix = options.keyPrefix ?? 'plumb:cache:';
    this.maxPerScope = options.maxEntriesPerScope ?? 1000;
  }

  async getExact(tenantId: string, key: string): Promise<CacheEntry | undefined> {
    const raw = await this.redis.get(this.exactKey(tenantId, key));
    return raw === null ? undefined : (JSON.parse(raw) as CacheEntry);
  }

  async setExact(tenantId: string, key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    const multi = this.redis.multi().set(this.exactKey(tenantId, key), JSON.stringify(entry), 'PX', Math.max(1, Math.round(ttlMs)));
    this.indexDocuments(multi, tenantId, entry.documentIds, `x|${key}`, ttlMs);
    await multi.exec();
  }

  async addSemantic(tenantId: string, scope: string, entry: SemanticEntry, ttlMs: number): Promise<void> {
    const hashKey = this.scopeKey(tenantId, scope);
    const multi = this.redis
      .multi()
      .hset(hashKey, entry.id, serialiseSemantic(entry, Date.now() + ttlMs))
      .pexpire(hashKey, Math.max(1, Math.round(ttlMs)));
    this.indexDocuments(multi, tenantId, entry.documentIds, `s|${scope}|${entry.id}`, ttlMs);
    await multi.exec();
    const size = await this.redis.hlen(hashKey);
    if (size > this.maxPerScope) {
      // Ids start with the time they were made, so sorting them orders entries by age.
      const ids = (await this.redis.hkeys(hashKey)).sort();
      await this.redis.hdel(hashKey, ...ids.slice(0, size - this.maxPerScope));
    }
  }

  async scanSemantic(tenantId: string, scope: string): Promise<SemanticEntry[]> {
    const all = await this.redis.hgetall(this.scopeKey(tenantId, scope));
    const now = Date.now();
    const out: SemanticEntry[] = [];
    for (const raw of Object.values(all)) {
      const entry = parseSemantic(raw, now);
      if (entry) out.push(entry);
    }
    return out;
  }

  async invalidateDocuments(tenantId: string, documentIds: readonly string[]): Promise<number> {
    let dropped = 0;
    for (const id of documentIds) {
      const setKey = this.documentKey(tenantId, id);
      const members = await this.redis.smembers(setKey);
      const multi = this.redis.multi();
      for (const member of members) {
        const [kind, a = '', b = ''] = member.split('|');
        if (kind === 'x') multi.del(this.exactKey(tenantId, a));
        else multi.hdel(this.scopeKey(tenantId, a), b);
      }
      multi.del(setKey);
      const results = (await multi.exec()) ?? [];
      for (const [err, count] of results.slice(0, members.length)) if (!err && typeof count === 'number') dropped += count;
    }
    return dropped;
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }

  private indexDocuments(multi: ReturnType<Redis['multi']>, tenantId: string, documentIds: readonly string[] | undefined, member: string, ttlMs: number): void {
    for (const id of documentIds ?? []) {
      const setKey = this.documentKey(tenantId, id);
      // The set must outlive the longest entry in it: extend, never shorten (GT).
      multi.sadd(setKey, member).pexpire(setKey, Math.max(1, Math.round(ttlMs)), 'GT');
      multi.pexpire(setKey, Math.max(1, Math.round(ttlMs)), 'NX');
    }
  }

  // Tenant ids are encoded so a ':' in one cannot reach into another tenant's keys.
  private exactKey(tenantId: string, key: string): string {
    return `${this.prefix}x:${encodeURIComponent(tenantId)}:${key}`;
  }

  private scopeKey(tenantId: string, scope: string): string {
    return `${this.prefix}s:${encodeURIComponent(tenantId)}:${scope}`;
  }

  private documentKey(tenantId: string, documentId: string): string {
    return `${this.prefix}d:${encodeURIComponent(tenantId)}:${encodeURIComponent(documentId)}`;
  }
}

// ioredis loads when a Redis cache is first made, not with plumb (~90 ms, ~25 MB without Redis).
const require = createRequire(import.meta.url);
function redisClass(): typeof Redis {
  return (require('ioredis') as { Redis: typeof Redis }).Redis;
}
