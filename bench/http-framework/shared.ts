// Shared by all three servers so the only thing that differs between them is the framework:
// the zod schema, the API-key table, the error bodies and the ~6 KB response fixture.
import { z } from 'zod';

export const MAX_BODY_BYTES = 1024 * 1024;

export const RetrieveRequest = z.object({
  query: z.string().min(1).max(4000),
  k: z.int().min(1).max(100).default(8),
  mode: z.enum(['bm25', 'vector', 'hybrid']).default('hybrid'),
  filter: z.record(z.string(), z.unknown()).optional(),
});
export type RetrieveRequest = z.infer<typeof RetrieveRequest>;

export interface Tenant {
  readonly id: string;
  readonly name: string;
}

export const BENCH_API_KEY = 'plumb_sk_bench_0123456789abcdef';

/** API keys -> tenant; a plain Map lookup, identical in all three servers. */
const API_KEYS = new Map<string, Tenant>([
  [BENCH_API_KEY, { id: 'tn_bench', name: 'bench' }],
  ['plumb_sk_other_fedcba9876543210', { id: 'tn_other', name: 'other' }],
]);

/** Resolves an `Authorization: Bearer <key>` header to a tenant, or null. */
export function authenticate(header: string | undefined | null): Tenant | null {
  if (!header || !header.startsWith('Bearer ')) return null;
  return API_KEYS.get(header.slice(7).trim()) ?? null;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export function validationError(err: z.ZodError): ErrorBody {
  return {
    error: {
      code: 'invalid_request',
      message: 'Request body failed validation',
      issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    },
  };
}

export const UNAUTHORIZED = errorBody('unauthorized', 'Missing or invalid API key');
export const INVALID_JSON = errorBody('invalid_json', 'Request body is not valid JSON');
export const TOO_LARGE = errorBody('payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
export const UNSUPPORTED_TYPE = errorBody('unsupported_media_type', 'Content-Type must be application/json');

export interface Hit {
  chunkId: string;
  document: { id: string; title: string; source: string };
  text: string;
  score: number;
  signals: { bm25: number; vector: number; rrf: number; bm25Rank: number; vectorRank: number };
}

// Deterministic pseudo-prose, so every run (and every framework) serves byte-identical hits.
const WORDS = (
  'retrieval chunk embedding index query vector lexical hybrid rerank score document corpus token ' +
  'context window offline local model latency recall precision passage section heading citation ' +
  'source answer evaluation fusion reciprocal rank stemming overlap boundary metadata filter tenant'
).split(' ');

function prose(seed: number, length: number): string {
  let s = seed >>> 0;
  const out: string[] = [];
  let size = 0;
  while (size < length) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const w = WORDS[s % WORDS.length] ?? 'plumb';
    out.push(w);
    size += w.length + 1;
  }
  return (out.join(' ').slice(0, length - 1).trimEnd() + '.').replace(/^./, (c) => c.toUpperCase());
}

export const HITS: readonly Hit[] = Array.from({ length: 8 }, (_, i) => ({
  chunkId: `chk_${(0x5eed + i * 7919).toString(16).padStart(8, '0')}`,
  document: {
    id: `doc_${(0xd0c + i * 104729).toString(16).padStart(8, '0')}`,
    title: `Plumb guide, part ${i + 1}`,
    source: `docs/guide/part-${i + 1}.md`,
  },
  text: prose(i + 1, 600),
  score: Number((0.92 - i * 0.061).toFixed(4)),
  signals: {
    bm25: Number((14.2 - i * 1.3).toFixed(3)),
    vector: Number((0.83 - i * 0.04).toFixed(4)),
    rrf: Number((1 / (60 + i + 1) + 1 / (60 + ((i * 3) % 8) + 1)).toFixed(5)),
    bm25Rank: i + 1,
    vectorRank: ((i * 3) % 8) + 1,
  },
}));

export interface RetrieveResponse {
  object: 'retrieval';
  tenant: string;
  query: string;
  mode: RetrieveRequest['mode'];
  k: number;
  hits: readonly Hit[];
}

/** Builds the (per-request) response object; each framework serializes it with JSON.stringify. */
export function buildResponse(req: RetrieveRequest, tenant: Tenant): RetrieveResponse {
  return {
    object: 'retrieval',
    tenant: tenant.id,
    query: req.query,
    mode: req.mode,
    k: req.k,
    hits: req.k >= HITS.length ? HITS : HITS.slice(0, req.k),
  };
}
