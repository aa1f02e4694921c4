import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 20_000,
    // Set-up hooks open real stores, servers and the word-vector embedder; on two shared cores
    // with both test workers busy, one that stores and embeds a few documents once passed the
    // default 10 s (retriever.test.ts, in CI).
    hookTimeout: 60_000,
    // Two cores: more workers only adds contention.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
