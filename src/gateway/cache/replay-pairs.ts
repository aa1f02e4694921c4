/**
 * Replays labelled question pairs through a semantic cache: for each pair, the first question's
 * answer is stored in a scope of its own and the second question looked up there. A hit on a
 * duplicate pair is a good hit; a hit on a non-duplicate pair is a false hit.
 */
import fs from 'node:fs';
import { PlumbError } from '../../core/errors.ts';
import type { SemanticCache } from './semantic-cache.ts';

export interface LabelledPair {
  a: string;
  b: string;
  duplicate: boolean;
}

export interface ReplayResult {
  threshold: number;
  hit_rate: number;
  false_hit_rate: number;
  pairs: number;
}

/** Reads a JSONL file of {a, b, duplicate} rows (is_duplicate and question1/question2 accepted too). */
export function readPairs(file: string): LabelledPair[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PlumbError('bad_request', `cannot read pairs file ${file}`, { cause, hint: 'pass a JSONL file of {"a": …, "b": …, "duplicate": true|false} rows' });
  }
  const pairs: LabelledPair[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const row = JSON.parse(line) as Record<string, unknown>;
    const a = row['a'] ?? row['question1'];
    const b = row['b'] ?? row['question2'];
    const label = row['duplicate'] ?? row['is_duplicate'];
    if (typeof a !== 'string' || typeof b !== 'string' || label === undefined) {
      throw new PlumbError('bad_request', `${file}:${i + 1}: expected {"a": string, "b": string, "duplicate": boolean}`);
    }
    pairs.push({ a, b, duplicate: label === true || label === 1 || label === '1' });
  });
  return pairs;
}

/**
 * Whether each pair's second question hits its first's entry, through `cache` (its backend should
 * be empty). Pairs run a few at a time, so the cache's encoder thread and the main thread overlap;
 * each pair has a scope of its own, so they cannot see each other.
 */
export async function replayPairs(cache: SemanticCache, pairs: readonly LabelledPair[], onProgress?: (done: number) => void): Promise<boolean[]> {
  const tenant = 'replay';
  const answer = { text: '', toolCalls: [], finishReason: 'stop' as const, model: 'replay', provider: 'replay', usage: { inputTokens: 0, outputTokens: 0 }, usd: 0 };
  const hits = new Array<boolean>(pairs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const i = next++;
      const pair = pairs[i]!;
      const scope = `pair-${i}`;
      await cache.store(tenant, scope, pair.a, await cache.vectors(pair.a), answer);
      hits[i] = (await cache.lookup(tenant, scope, pair.b)).hit !== undefined;
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: REPLAY_CONCURRENCY }, worker));
  return hits;
}

// Enough to keep the encoder's thread busy. A look-up with no candidate leaves its question encoding,
// so the backlog can outgrow this: give the replayed cache maxEncoderBacklog: Infinity, or questions are shed.
const REPLAY_CONCURRENCY = 8;

/** Hit rate on duplicates and false-hit rate on non-duplicates. */
export function replaySummary(pairs: readonly LabelledPair[], hits: readonly boolean[], threshold: number): ReplayResult {
  let dup = 0, dupHits = 0, other = 0, falseHits = 0;
  pairs.forEach((p, i) => {
    if (p.duplicate) {
      dup++;
      if (hits[i]) dupHits++;
    } else {
      other++;
      if (hits[i]) falseHits++;
    }
  });
  return { threshold, hit_rate: dup ? dupHits / dup : 0, false_hit_rate: other ? falseHits / other : 0, pairs: pairs.length };
}
