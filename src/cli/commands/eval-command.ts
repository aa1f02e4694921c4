/**
 * `plumb eval retrieval`: ingests a BEIR-format corpus into a fresh store, runs every judged
 * query through the retriever and prints nDCG@k, Recall@100 and MRR@k.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { PlumbError } from '../../core/errors.ts';
import { evaluateRun, readBeirQrels, readBeirQueries } from '../../evals/retrieval-metrics.ts';
import { ProgressBar } from '../../rag/ingest/progress-bar.ts';
import { openPlumb } from '../open-plumb.ts';
import { emit, intOption, modeOption, type GlobalOptions } from '../output.ts';

interface EvalFlags { corpus: string; queries: string; qrels: string; mode: 'bm25' | 'vector' | 'hybrid'; k: number; keep?: boolean }

/** Adds `plumb eval` with its `retrieval` subcommand; returns the `eval` command for the others. */
export function registerEvalCommands(program: Command, globals: () => GlobalOptions): Command {
  const evalCommand = program.command('eval').description('measure retrieval and answers');
  evalCommand
    .command('retrieval')
    .description('nDCG@k, Recall@100 and MRR@k on a BEIR-format dataset, in a fresh store')
    .requiredOption('--corpus <file>', 'corpus.jsonl ({_id, title, text} per line)')
    .requiredOption('--queries <file>', 'queries.jsonl ({_id, text} per line)')
    .requiredOption('--qrels <file>', 'qrels.tsv (query-id, corpus-id, score)')
    .option('--mode <mode>', 'bm25, vector or hybrid', modeOption, 'hybrid')
    .option('--k <n>', 'cutoff for nDCG and MRR', intOption('k', 1, 1000), 10)
    .option('--keep', 'keep the temporary store and print where it is')
    .action(async (flags: EvalFlags) => {
      const g = globals();
      for (const file of [flags.corpus, flags.queries, flags.qrels]) {
        if (!fs.existsSync(file)) throw new PlumbError('bad_request', `no such file: ${file}`, { hint: 'pass the BEIR corpus.jsonl, queries.jsonl and qrels.tsv paths' });
      }
      const qrels = readBeirQrels(flags.qrels);
      const queries = readBeirQueries(flags.queries).filter((q) => qrels.has(q.id));
      if (queries.length === 0) throw new PlumbError('bad_request', 'no query in the queries file has a judgement in the qrels file', { hint: 'check that both files come from the same split' });

      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-eval-'));
      const plumb = await openPlumb({ ...g, data: dataDir }, {
        store: { url: 'sqlite' },
        // A BEIR corpus is one large JSONL file: the per-file size limit is for user folders.
        ingest: { maxFileBytes: 4 * 1024 ** 3 },
        ...(flags.mode === 'bm25' ? { embeddings: { provider: 'none' } } : {}),
      });
      try {
        const tenantId = 'eval';
        const report = await plumb.ingest([flags.corpus], { tenantId, progress: !g.json, waitForVectors: flags.mode !== 'bm25' });
        const indexed = report.documents.inserted + report.documents.replaced;
        if (indexed === 0) throw new PlumbError('bad_request', `no documents could be loaded from ${flags.corpus}`, { details: { skipped: report.skipped.slice(0, 5) } });

        const depth = Math.max(100, flags.k);
        const run = new Map<string, string[]>();
        const bar = new ProgressBar({ label: 'queries', total: queries.length, unit: 'queries', enabled: !g.json });
        const latencies: number[] = [];
        let usedMode: string = flags.mode;
        for (const query of queries) {
          // Chunks → documents: a document ranks where its best chunk ranks.
          const result = await plumb.retriever.retrieve(tenantId, query.text, { k: depth * 2, mode: flags.mode, candidates: depth * 2 });
          usedMode = result.mode;
          latencies.push(result.latencyMs);
          const docs: string[] = [];
          for (const hit of result.chunks) if (!docs.includes(hit.chunk.documentId)) docs.push(hit.chunk.documentId);
          run.set(query.id, docs.slice(0, depth));
          bar.tick();
        }
        bar.done();
        const metrics = evaluateRun(run, qrels, { ndcgAt: flags.k, recallAt: 100, mrrAt: flags.k });
        latencies.sort((a, b) => a - b);
        const out = {
          [`ndcg@${flags.k}`]: round4(metrics.mean.ndcg),
          'recall@100': round4(metrics.mean.recall),
          [`mrr@${flags.k}`]: round4(metrics.mean.mrr),
          queries: metrics.evaluatedQueries,
          mode: usedMode,
          documents: indexed,
          chunks: report.chunks,
          latency_ms: { p50: round4(percentile(latencies, 0.5)), p95: round4(percentile(latencies, 0.95)) },
          ...(flags.keep ? { store: dataDir } : {}),
        };
        emit(g, out, () =>
          [
            `${metrics.evaluatedQueries} queries · ${indexed} documents · ${report.chunks} chunks · ${usedMode} retrieval`,
            `nDCG@${flags.k}     ${round4(metrics.mean.ndcg)}`,
            `Recall@100  ${out['recall@100']}`,
            `MRR@${flags.k}      ${round4(metrics.mean.mrr)}`,
            `latency     p50 ${out.latency_ms.p50} ms, p95 ${out.latency_ms.p95} ms`,
            ...(flags.keep ? [`store kept at ${dataDir}`] : []),
          ].join('\n'),
        );
      } finally {
        await plumb.close();
        if (!flags.keep) fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  return evalCommand;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
