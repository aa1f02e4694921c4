/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, undefined members dropped —
 * so the same data always serialises to the same bytes, whatever order it was built in.
 */
import { PlumbError } from '../../core/errors.ts';

/** Serialises a value with keys sorted recursively (stable across insertion orders). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // JSON.stringify would silently turn it into null: two different datasets, one hash.
    throw new PlumbError('bad_request', `Cannot hash a non-finite number (${value}).`, { hint: 'Golden-set values must be finite numbers.' });
  }
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}
