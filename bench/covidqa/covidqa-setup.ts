/**
 * COVID-QA for the eval benchmarks: the 98 articles ingested into a fresh temporary store with
 * plumb's offline defaults (hybrid retrieval, SIF embedder, extractive answerer), and the 1,380
 * questions as golden cases (SQuAD-style import: the answer as reference, its article as the
 * relevant document, the sentence(s) around the answer as gold passage).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPlumb } from '../../src/app.ts';
import { contentHashOf } from '../../src/evals/datasets/golden-content-hash.ts';
import { importSquadStyle } from '../../src/evals/datasets/squad-style-import.ts';
import type { GoldenSet } from '../../src/evals/types.ts';
import type { Plumb } from '../../src/plumb.ts';

export const COVIDQA_DIR = process.env.COVIDQA_DIR ?? '/work/shared/datasets/covidqa';

export interface CovidQa {
  plumb: Plumb;
  golden: GoldenSet;
  dataDir: string;
  ingestSeconds: number;
  chunks: number;
  importProblems: number;
  close(): Promise<void>;
}

/** Ingests the corpus into a temp store and imports the questions (the first `limit` when given). */
export async function openCovidQa(limit?: number): Promise<CovidQa> {
  const corpus = path.join(COVIDQA_DIR, 'corpus.jsonl');
  const goldenFile = path.join(COVIDQA_DIR, 'golden.jsonl');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-covidqa-'));
  const plumb = await createPlumb({ config: { dataDir, ingest: { maxFileBytes: 1024 ** 3 } }, env: {} });
  const started = performance.now();
  const report = await plumb.ingest([corpus], { progress: false, waitForVectors: true });
  const ingestSeconds = (performance.now() - started) / 1000;
  const imported = await importSquadStyle({ golden: goldenFile, corpus });
  const cases = limit === undefined ? imported.cases : imported.cases.slice(0, limit);
  const golden: GoldenSet = { name: limit === undefined ? 'covidqa' : `covidqa-first-${limit}`, contentHash: contentHashOf(cases), cases, problems: [] };
  return {
    plumb,
    golden,
    dataDir,
    ingestSeconds,
    chunks: report.chunks,
    importProblems: imported.problems.length,
    close: async () => {
      await plumb.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `--limit N` from argv, if given. */
export function limitArg(argv: readonly string[]): number | undefined {
  const i = argv.indexOf('--limit');
  if (i === -1) return undefined;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--limit needs a positive integer');
  return n;
}
