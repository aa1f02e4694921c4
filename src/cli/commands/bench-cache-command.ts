/**
 * `plumb bench cache --pairs FILE.jsonl`: replays labelled question pairs through the semantic
 * cache as configured by default (the calibrated policy in src/gateway/cache/default-policy.ts):
 * for each pair the first question is stored in an empty scope and the second looked up.
 * Prints {threshold, hit_rate, false_hit_rate, pairs}.
 */
import type { Command } from 'commander';
import { emit, type GlobalOptions } from '../output.ts';

/** Adds `plumb bench cache` (creating the `bench` command group). */
export function registerBenchCacheCommand(program: Command, globals: () => GlobalOptions): void {
  const bench = program.command('bench').description('benchmarks of plumb components on your data');
  bench
    .command('cache')
    .description('semantic cache hit rate on duplicate pairs and false-hit rate on non-duplicates, with the default policy')
    .requiredOption('--pairs <file>', 'JSONL of {"a": question, "b": question, "duplicate": true|false} rows (e.g. QQP)')
    .action(async (flags: { pairs: string }) => {
      // Loaded here, not with the CLI: the default policy and the embedder are large.
      const [{ createMemoryCacheBackend }, { readPairs, replayPairs, replaySummary }, { SemanticCache }] = await Promise.all([
        import('../../gateway/cache/memory-backend.ts'),
        import('../../gateway/cache/replay-pairs.ts'),
        import('../../gateway/cache/semantic-cache.ts'),
      ]);
      const pairs = readPairs(flags.pairs);
      const backend = createMemoryCacheBackend();
      // A replay must not shed questions when the encoder falls behind, as a busy gateway would.
      const cache = new SemanticCache({ backend, maxEncoderBacklog: Number.POSITIVE_INFINITY });
      // USE-lite takes ~20 ms a question: a QQP dev file (20,000 pairs) takes ~14 minutes here, so say where it is.
      let shown = 0;
      const hits = await replayPairs(cache, pairs, (done) => {
        if (done === pairs.length || done - shown >= 1000) {
          shown = done;
          process.stderr.write(`replayed ${done}/${pairs.length} pairs\n`);
        }
      });
      await backend.close();
      const result = replaySummary(pairs, hits, cache.policy.threshold);
      const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
      emit(globals(), result, () =>
        [
          `${result.pairs} pairs · default semantic policy (threshold ${result.threshold}${cache.policy.verifier ? ' on the verifier' : ' on cosine'}, guard vetoes ${cache.policy.guards === true ? 'all' : cache.policy.guards === false || cache.policy.guards.length === 0 ? 'off' : cache.policy.guards.join(', ')})`,
          `hit rate on duplicates       ${pct(result.hit_rate)}`,
          `false-hit rate on the rest   ${pct(result.false_hit_rate)}`,
        ].join('\n'),
      );
    });
}
