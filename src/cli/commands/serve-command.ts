/** `plumb serve [--demo] [--workers N]`: the HTTP API and web page; --demo first ingests plumb's own docs. */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { toPlumbError } from '../../core/errors.ts';
import type { Plumb } from '../../plumb.ts';
import { openPlumb } from '../open-plumb.ts';
import { intOption, type GlobalOptions } from '../output.ts';
import { WORKER_BANNER_ENV, WORKER_INDEX_ENV, WORKER_READY_MESSAGE, checkWorkersCanShare, runWorkerPool, sharedCacheOverride } from './serve-workers.ts';

/** plumb's own documentation: text the project wrote, shipped in the package. */
export const DEMO_CORPUS = [fileURLToPath(new URL('../../../docs', import.meta.url)), fileURLToPath(new URL('../../../README.md', import.meta.url))];

export function registerServeCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('serve the HTTP API and the web page')
    .option('--demo', "ingest plumb's own documentation first, so there is something to ask about")
    .option('--port <n>', 'port (default 8787; PORT also works)', intOption('port', 0, 65535))
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--workers <n>', 'processes serving the port, one per core you want used (default 1; server.workers)', intOption('workers', 1, 64))
    .action(async (flags: { demo?: boolean; port?: number; host?: string; workers?: number }) => {
      const g = globals();
      const server = { ...(flags.port !== undefined ? { port: flags.port } : {}), ...(flags.host ? { host: flags.host } : {}), ...(flags.workers !== undefined ? { workers: flags.workers } : {}) };
      const plumb = await openPlumb(g, { server });
      const workerIndex = cluster.isWorker ? Number(process.env[WORKER_INDEX_ENV] ?? 0) : undefined;
      try {
        // The primary of several workers checks, prepares the store once, and only forks from then on.
        if (workerIndex === undefined && plumb.config.server.workers > 1) {
          checkWorkersCanShare(plumb.config);
          if (flags.demo) await ingestDemo(plumb);
          const cache = sharedCacheOverride(plumb.config);
          await plumb.close();
          if (cache.notice) process.stderr.write(cache.notice);
          runWorkerPool({ count: plumb.config.server.workers, env: cache.env, shutdownGraceMs: plumb.config.server.shutdownGraceMs });
          return;
        }
        if (flags.demo && workerIndex === undefined) await ingestDemo(plumb);
        const { startServer } = await import('../../server/start-server.ts');
        const running = await startServer(plumb);
        // Load the index now so the first question does not pay for it.
        await plumb.warmUp();
        if (workerIndex === undefined || workerIndex === 0) embedEveryTenantInBackground(plumb);
        if (workerIndex === undefined || process.env[WORKER_BANNER_ENV] === '1') printBanner(plumb, running.url, running.open, process.uptime() * 1000);
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          const graceMs = plumb.config.server.shutdownGraceMs;
          if (workerIndex === undefined) process.stderr.write(`\nstopping: answers under way get up to ${graceMs / 1000} s to finish (server.shutdownGraceMs)…\n`);
          await running.close(graceMs);
          await plumb.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
        if (workerIndex !== undefined) process.send?.(WORKER_READY_MESSAGE);
      } catch (error) {
        await plumb.close();
        throw error;
      }
    });
}

async function ingestDemo(plumb: Plumb): Promise<void> {
  const report = await plumb.ingest(DEMO_CORPUS, { waitForVectors: false, progress: false });
  const { inserted, replaced, unchanged } = report.documents;
  process.stderr.write(`demo corpus: ${inserted + replaced + unchanged} documents (${inserted} new, ${replaced} updated, ${unchanged} unchanged), ${report.chunks} new chunks\n`);
}

function embedEveryTenantInBackground(plumb: Plumb): void {
  void plumb.store.listTenants().then(async (tenants) => {
    for (const tenantId of tenants) await plumb.waitForVectors({ tenantId });
  }).catch((error: unknown) => process.stderr.write(`plumb: background embedding failed: ${toPlumbError(error).message}\n`));
}

function printBanner(plumb: Plumb, url: string, open: boolean, ms: number): void {
  const exported = plumb.traceExportStats();
  const question = JSON.stringify({ question: 'How do I change the port?' });
  const auth = open ? '' : " -H 'authorization: Bearer <key>'";
  const lines = [
    `plumb is running (ready in ${(ms / 1000).toFixed(1)} s)`,
    `  web page:  ${url}/`,
    `  API:       ${url}/v1   (OpenAPI: ${url}/openapi.json)`,
    `  store:     ${plumb.config.dataDir}`,
    `  answers:   ${plumb.chatModel.provider}/${plumb.chatModel.modelId}${plumb.chatModel.provider === 'plumb-offline' ? ' (extractive, no LLM; configure one in plumb.config.yaml)' : ''}`,
    `  auth:      ${open ? 'open on loopback (no key needed)' : 'API key required (plumb keys create --tenant <name>)'}`,
    ...(plumb.config.server.workers > 1 ? [`  workers:   ${plumb.config.server.workers} processes share the port`] : []),
    ...(exported ? [`  traces:    stored, and sent to ${exported.url} (OTLP)`] : []),
    '',
    'try:',
    `  curl -s ${url}/v1/query -H 'content-type: application/json'${auth} -d '${question}'`,
    '',
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
