/** `plumb ask` and `plumb retrieve`. */
import type { Command } from 'commander';
import { presentAskResult, presentChunk } from '../../server/present.ts';
import { withPlumb } from '../open-plumb.ts';
import { emit, intOption, modeOption, type GlobalOptions } from '../output.ts';

interface QueryFlags { k?: number; mode?: 'bm25' | 'vector' | 'hybrid'; tenant?: string }

export function registerQueryCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('ask')
    .description('answer a question from the ingested documents, with citations')
    .argument('<question>', 'the question, in quotes')
    .option('--k <n>', 'chunks to retrieve', intOption('k', 1, 50))
    .option('--mode <mode>', 'bm25, vector or hybrid', modeOption)
    .option('--tenant <id>', 'tenant (default: the configured defaultTenant)')
    .action(async (question: string, flags: QueryFlags) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const result = await plumb.ask(question, flagsToOptions(flags));
        emit(g, presentAskResult(result), () => {
          const a = result.answer;
          const lines = [a.text, ''];
          if (a.citations.length) {
            lines.push('Sources:');
            for (const c of a.citations) {
              lines.push(`  [${c.n}] ${c.title ?? c.documentId} — ${c.source} (characters ${c.charStart}–${c.charEnd})`);
              lines.push(`      "${c.snippet.replace(/\s+/g, ' ').trim()}"`);
            }
            lines.push('');
          } else if (result.retrieval.chunks.length === 0) {
            lines.push('(no documents matched; ingest some with `plumb ingest <path>`)', '');
          }
          lines.push(`${a.provider}/${a.model} · ${result.retrieval.mode} retrieval · ${Math.round(result.latencyMs)} ms · trace ${result.traceId}`);
          return lines.join('\n');
        });
      });
    });

  program
    .command('retrieve')
    .description('show the chunks retrieval ranks highest for a query')
    .argument('<query>', 'the query, in quotes')
    .option('--k <n>', 'chunks to return', intOption('k', 1, 100))
    .option('--mode <mode>', 'bm25, vector or hybrid', modeOption)
    .option('--tenant <id>', 'tenant (default: the configured defaultTenant)')
    .action(async (query: string, flags: QueryFlags) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const result = await plumb.retrieve(query, flagsToOptions(flags));
        const chunks = result.chunks.map(presentChunk);
        emit(g, { mode: result.mode, latencyMs: result.latencyMs, traceId: result.traceId, chunks }, () => {
          if (chunks.length === 0) return 'no chunks matched (ingest documents with `plumb ingest <path>`)';
          const lines = chunks.map((c) => {
            const where = [c.title ?? c.documentId, ...c.headingPath].join(' > ');
            const text = c.text.replace(/\s+/g, ' ').slice(0, 200);
            return `${String(c.rank).padStart(2)}. ${c.score.toFixed(4)}  ${where}\n    ${c.source} · ${c.chunkId}\n    ${text}${c.text.length > 200 ? '…' : ''}`;
          });
          return `${lines.join('\n')}\n\n${result.mode} retrieval · ${result.latencyMs.toFixed(1)} ms`;
        });
      });
    });
}

function flagsToOptions(flags: QueryFlags) {
  return {
    ...(flags.k !== undefined ? { k: flags.k } : {}),
    ...(flags.mode !== undefined ? { mode: flags.mode } : {}),
    ...(flags.tenant !== undefined ? { tenantId: flags.tenant } : {}),
  };
}
