/**
 * The in-memory cache backend for one process: a size-bounded LRU (a Map in recency order) with a
 * TTL per entry. Semantic entries also sit in a per-scope index for scans and documents in a
 * per-document index for invalidation; evicting an entry removes it from both.
 */
import type { CacheBackend } from './cache-backend.ts';
import type { CacheEntry, SemanticEntry } from './cached-answer.ts';

export interface MemoryCacheBackendOptions {
  /** Most entries kept (exact and semantic together); the least recently used go first. Default 10,000. */
  maxEntries?: number;
  /** Clock, for tests of expiry. */
  now?: () => number;
}

interface Slot {
  entry: CacheEntry | SemanticEntry;
  expiresAt: number;
  tenantId: string;
  scopeKey?: string;
}

/** Creates an in-memory backend. */
export function createMemoryCacheBackend(options: MemoryCacheBackendOptions = {}): CacheBackend {
  return new MemoryCacheBackend(options);
}

class MemoryCacheBackend implements CacheBackend {
  readonly name = 'memory';
  private readonly slots = new Map<string, Slot>();
  private readonly scopes = new Map<string, Set<string>>();
  private readonly documents = new Map<string, Set<string>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryCacheBackendOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async getExact(tenantId: string, key: string): Promise<CacheEntry | undefined> {
    const slotKey = exactKey(tenantId, key);
    const slot = this.live(slotKey);
    if (!slot) return undefined;
    this.slots.delete(slotKey);
    this.slots.set(slotKey, slot);
    return slot.entry;
  }

  async setExact(tenantId: string, key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    this.put(exactKey(tenantId, key), { entry, expiresAt: this.now() + ttlMs, tenantId });
  }

  async addSemantic(tenantId: string, scope: string, entry: SemanticEntry, ttlMs: number): Promise<void> {
    const scopeKey = `${tenantId}\u0000${scope}`;
    const slotKey = `s\u0000${scopeKey}\u0000${entry.id}`;
    this.put(slotKey, { entry, expiresAt: this.now() + ttlMs, tenantId, scopeKey });
    let members = this.scopes.get(scopeKey);
    if (!members) this.scopes.set(scopeKey, (members = new Set()));
    members.add(slotKey);
  }

  async scanSemantic(tenantId: string, scope: string): Promise<SemanticEntry[]> {
    const members = this.scopes.get(`${tenantId}\u0000${scope}`);
    if (!members) return [];
    const out: SemanticEntry[] = [];
    for (const slotKey of [...members]) {
      const slot = this.live(slotKey);
      if (slot) out.push(slot.entry as SemanticEntry);
    }
    return out;
  }

  async invalidateDocuments(tenantId: string, documentIds: readonly string[]): Promise<number> {
    let dropped = 0;
    for (const id of documentIds) {
      const docKey = `${tenantId}\u0000${id}`;
      for (const slotKey of this.documents.get(docKey) ?? []) if (this.remove(slotKey)) dropped++;
      this.documents.delete(docKey);
    }
    return dropped;
  }

  async close(): Promise<void> {
    this.slots.clear();
    this.scopes.clear();
    this.documents.clear();
  }

  private live(slotKey: string): Slot | undefined {
    const slot = this.slots.get(slotKey);
    if (slot && slot.expiresAt <= this.now()) {
      this.remove(slotKey);
      return undefined;
    }
    return slot;
  }

  private put(slotKey: string, slot: Slot): void {
    this.remove(slotKey);
    this.slots.set(slotKey, slot);
    for (const id of slot.entry.documentIds ?? []) {
      const docKey = `${slot.tenantId}\u0000${id}`;
      let members = this.documents.get(docKey);
      if (!members) this.documents.set(docKey, (members = new Set()));
      members.add(slotKey);
    }
    while (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  private remove(slotKey: string): boolean {
    const slot = this.slots.get(slotKey);
    if (!slot) return false;
    this.slots.delete(slotKey);
    if (slot.scopeKey !== undefined) {
      const members = this.scopes.get(slot.scopeKey);
      members?.delete(slotKey);
      if (members?.size === 0) this.scopes.delete(slot.scopeKey);
    }
    for (const id of slot.entry.documentIds ?? []) {
      const docKey = `${slot.tenantId}\u0000${id}`;
      const members = this.documents.get(docKey);
      members?.delete(slotKey);
      if (members?.size === 0) this.documents.delete(docKey);
    }
    return true;
  }
}

function exactKey(tenantId: string, key: string): string {
  return `x\u0000${tenantId}\u0000${key}`;
}
