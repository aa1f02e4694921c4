/**
 * Remembers which tenant an API key belongs to for a short time, so a busy server does not hash
 * the key and query the store on every request (a SHA-256 and a SELECT were ~6% of the gateway's
 * request path). Unknown keys are remembered too: an open local server sees the same placeholder
 * key from every OpenAI client.
 *
 * A key revoked in this process is forgotten at once (`forget`); one revoked by another process
 * (the CLI, another replica) stops working within `ttlMs`. The map is bounded, so a flood of
 * random keys costs at most `maxEntries` entries, never unbounded memory.
 */
export interface ApiKeyCacheOptions {
  /** How long an answer is trusted; 0 turns the cache off. */
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  tenantId: string | null;
  expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

export class ApiKeyCache {
  readonly #lookup: (key: string) => Promise<string | null>;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  /** Bumped by clear(): a look-up that started before it must not store its (maybe stale) answer. */
  #generation = 0;

  constructor(lookup: (key: string) => Promise<string | null>, options: ApiKeyCacheOptions) {
    this.#lookup = lookup;
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /** The key's tenant (null for an unknown or revoked key), from memory while it is fresh. */
  tenantFor(key: string): Promise<string | null> | string | null {
    if (this.#ttlMs <= 0) return this.#lookup(key);
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.#now()) return entry.tenantId;
    return this.#refresh(key);
  }

  /** Drops every remembered answer (after a key is revoked or created in this process). */
  clear(): void {
    this.#entries.clear();
    this.#generation++;
  }

  async #refresh(key: string): Promise<string | null> {
    const generation = this.#generation;
    const tenantId = await this.#lookup(key);
    if (generation !== this.#generation) return tenantId;
    this.#entries.delete(key);
    // Map iteration is insertion order: the first key is the oldest answer.
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { tenantId, expiresAt: this.#now() + this.#ttlMs });
    return tenantId;
  }
}
