/**
 * What the semantic cache adds to a request with the default policy and the real USE-lite encoder
 * on its thread: a scope holding 500 QQP questions, then 500 other questions looked up one at a time
 * (as a quiet gateway sees them) and 500 looked up 8 at a time (a busy one). Reports look-up time for
 * questions with no candidate (nothing to verify: the encoder is not waited for) and with candidates
 * (the encoder's vector is waited for, then up to 5 candidates verified), and what the store costs.
 *
 *   npx tsx bench/semantic-cache/lookup-latency.ts [--pairs FILE] [--threads N]
 *
 * Writes lookup-latency.json and LOOKUP-LATENCY.md beside this file (with --threads N > 1,
 * lookup-latency-threads-N.json and LOOKUP-LATENCY-THREADS-N.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryCacheBackend } from '../../src/gateway/cache/memory-backend.ts';
import { readPairs } from '../../src/gateway/cache/replay-pairs.ts';
import { SemanticCache } from '../../src/gateway/cache/semantic-cache.ts';
import { UseLiteEncoder } from '../../src/providers/offline/use-lite/use-lite-encoder.ts';
import { machineInfo, machineLine } from '../machine.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const file = argv.includes('--pairs') ? argv[argv.indexOf('--pairs') + 1]! : '/work/shared/datasets/qqp/pairs.dev.jsonl';
const pairs = readPairs(file);
const threads = argv.includes('--threads') ? Number(argv[argv.indexOf('--threads') + 1]) : 1;
const encoder = new UseLiteEncoder({ threads });
const suffix = threads > 1 ? `-threads-${threads}` : '';
const STORED = 500;
const LOOKUPS = 500;
const answer = { text: 'cached', toolCalls: [], finishReason: 'stop' as const, model: 'm', provider: 'p', usage: { inputTokens: 1, outputTokens: 1 }, usd: 0 };

const backend = createMemoryCacheBackend();
const cache = new SemanticCache({ backend, encoder, maxEncoderBacklog: 8 * threads });
// The same scope without load shedding: what eight look-ups at a time cost when all of them wait.
const unshed = new SemanticCache({ backend, encoder, maxEncoderBacklog: Number.POSITIVE_INFINITY });
await cache.warmUp();
const storeMs: number[] = [];
for (const p of pairs.slice(0, STORED)) {
  const t = performance.now();
  await cache.store('t', 'scope', p.a, await cache.vectors(p.a), answer);
  storeMs.push(performance.now() - t);
}

interface Timed { ms: number; candidates: boolean; hit: boolean; skipped: boolean }
// Times the look-up only; then waits for the question's encoding, as a miss's store would (the
// gateway stores every miss, so every cacheable request costs the encoder one question).
async function lookUp(question: string, through = cache): Promise<Timed> {
  const t = performance.now();
  const found = await through.lookup('t', 'scope', question);
  const timed = { ms: performance.now() - t, candidates: found.best !== undefined || found.hit !== undefined, hit: found.hit !== undefined, skipped: found.encoderBusy === true };
  await found.encoded;
  return timed;
}
// Questions the scope holds a paraphrase of (their pair's first question is stored) and unrelated ones.
const related = pairs.slice(0, LOOKUPS).map((p) => p.b);
const unrelated = pairs.slice(STORED, STORED + LOOKUPS).map((p) => p.b);
const sequential: Timed[] = [];
for (const q of [...related, ...unrelated]) sequential.push(await lookUp(q));
const concurrent: Timed[] = [];
const queue = [...related, ...unrelated];
const t8 = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => {
  for (let q = queue.shift(); q !== undefined; q = queue.shift()) concurrent.push(await lookUp(q, unshed));
}));
const questionsPerSecond = Math.round(concurrent.length / ((performance.now() - t8) / 1000));

const pctl = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};
const summary = (rows: Timed[]) => ({
  with_candidates: { n: rows.filter((r) => r.candidates).length, p50_ms: pctl(rows.filter((r) => r.candidates).map((r) => r.ms), 50), p99_ms: pctl(rows.filter((r) => r.candidates).map((r) => r.ms), 99) },
  without_candidates: { n: rows.filter((r) => !r.candidates).length, p50_ms: pctl(rows.filter((r) => !r.candidates).map((r) => r.ms), 50), p99_ms: pctl(rows.filter((r) => !r.candidates).map((r) => r.ms), 99) },
  hits: rows.filter((r) => r.hit).length,
  skipped_encoder_busy: rows.filter((r) => r.skipped).length,
});
const machine = machineInfo();
const results = {
  dataset: file,
  encoder_threads: threads,
  stored: STORED,
  store_ms: { p50: pctl(storeMs, 50), p99: pctl(storeMs, 99) },
  one_at_a_time: summary(sequential),
  eight_at_a_time_unshed: summary(concurrent),
  eight_at_a_time_questions_per_second: questionsPerSecond,
  rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  machine,
};
fs.writeFileSync(path.join(HERE, `lookup-latency${suffix}.json`), `${JSON.stringify(results, null, 2)}\n`);
const row = (name: string, s: ReturnType<typeof summary>): string =>
  `| ${name} | ${s.with_candidates.n}: ${s.with_candidates.p50_ms} / ${s.with_candidates.p99_ms} ms | ${s.without_candidates.n}: ${s.without_candidates.p50_ms} / ${s.without_candidates.p99_ms} ms | ${s.hits} | ${s.skipped_encoder_busy} |`;
fs.writeFileSync(
  path.join(HERE, `LOOKUP-LATENCY${suffix.toUpperCase()}.md`),
  `# Semantic cache look-up latency, default policy, real USE-lite (${threads} encoder thread${threads > 1 ? 's' : ''})

\`npx tsx bench/semantic-cache/lookup-latency.ts${threads > 1 ? ` --threads ${threads}` : ''}\` · ${machineLine(machine)}

A scope holding ${STORED} QQP questions (the first questions of the first ${STORED} pairs, stored through the cache:
store p50 ${results.store_ms.p50} ms, p99 ${results.store_ms.p99} ms, the USE-lite vector included). Then ${LOOKUPS} questions with a
paraphrase or near-miss in the scope (the pairs' second questions) and ${LOOKUPS} unrelated ones looked up.
With candidates the look-up verifies up to 5 of them, and waits for USE-lite's vector only when the verifier's score,
bounded over every cosine USE-lite could give, could still reach the threshold; without candidates it does not wait.
After each look-up the question's encoding is awaited (untimed), as the store of a miss would.
Eight at a time, every question waits its turn at the encoder (shedding off): ${results.eight_at_a_time_questions_per_second} look-ups/s, which is
what ${threads} encoder thread${threads > 1 ? 's sustain' : ' sustains'} here. By default a question that finds ${8 * threads} already waiting skips the semantic cache
(no candidates, no wait; counted as \`encoderSkips\`), which bounds the wait at about the "eight at a time" p99.
Process RSS at the end: ${results.rss_mb} MB (USE-lite's threads included).

| look-ups | with candidates: n, p50 / p99 | without candidates: n, p50 / p99 | hits | skipped (encoder busy) |
|---|---|---|---|---|
${row('one at a time', results.one_at_a_time)}
${row('eight at a time, none shed', results.eight_at_a_time_unshed)}

On a miss the encoder's work overlaps the model call (hundreds of milliseconds for a real LLM), so a miss's store
does not wait for it either.
`,
);
console.log(JSON.stringify(results, null, 2));
await encoder.close();
