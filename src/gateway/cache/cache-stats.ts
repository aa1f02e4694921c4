/** Cache statistics per tenant, for the stats endpoint and the shadow-mode false-hit rate. */

export interface TenantCacheStats {
  exactHits: number;
  exactMisses: number;
  semanticHits: number;
  semanticMisses: number;
  /** Shadow mode: look-ups that would have been served from the semantic cache. */
  shadowHits: number;
  /** Shadow hits whose cached answer turned out unacceptable once the real answer came back. */
  shadowFalseHits: number;
  /** Shadow hits compared with the real answer (a stream cut before it finished is not). */
  shadowJudged: number;
  /** Candidates a guard vetoed (numbers, entities, negation). */
  guardVetoes: number;
  stores: number;
  /** Requests not cached by policy (e.g. temperature above 0) or by the caller (`Cache-Control: no-store`). */
  bypassed: number;
  /** Requests whose caller asked for a fresh answer (`Cache-Control: no-cache`): not served from the caches, stored in them. */
  refreshed: number;
  /** Backend errors; the request then went to the model. */
  errors: number;
  /** Questions that skipped the semantic cache because its sentence encoder was too far behind. */
  encoderSkips: number;
}

/** The measured false-hit rate of shadow mode: shadow false hits over judged shadow hits (null before any). */
export function shadowFalseHitRate(stats: TenantCacheStats): number | null {
  return stats.shadowJudged === 0 ? null : stats.shadowFalseHits / stats.shadowJudged;
}

const empty = (): TenantCacheStats => ({
  exactHits: 0, exactMisses: 0, semanticHits: 0, semanticMisses: 0, shadowHits: 0, shadowFalseHits: 0, shadowJudged: 0, guardVetoes: 0, stores: 0, bypassed: 0, refreshed: 0, errors: 0, encoderSkips: 0,
});

/** Counters per tenant. */
export class CacheStatistics {
  private readonly byTenant = new Map<string, TenantCacheStats>();

  /** Adds `by` to a counter of a tenant. */
  count(tenantId: string, counter: keyof TenantCacheStats, by = 1): void {
    let s = this.byTenant.get(tenantId);
    if (!s) this.byTenant.set(tenantId, (s = empty()));
    s[counter] += by;
  }

  /** A copy of one tenant's counters (zeros for a tenant never seen). */
  forTenant(tenantId: string): TenantCacheStats {
    return { ...(this.byTenant.get(tenantId) ?? empty()) };
  }

  /** Every tenant's counters. */
  all(): Record<string, TenantCacheStats> {
    return Object.fromEntries([...this.byTenant].map(([t, s]) => [t, { ...s }]));
  }
}
