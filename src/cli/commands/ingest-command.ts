/** `plumb ingest <path…>`. */
import type { Command } from 'commander';
import { formatIngestReport } from '../../rag/ingest/ingest-report.ts';
import { withPlumb } from '../open-plumb.ts';
import { emit, type GlobalOptions } from '../output.ts';

export function registerIngestCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('ingest')
    .description('ingest files and folders (md, txt, html, pdf, json, jsonl, BEIR corpora)')
    .argument('<paths...>', 'files or directories')
    .option('--exclude <glob...>', 'glob patterns to leave out')
    .option('--tenant <id>', 'tenant (default: the configured defaultTenant)')
    .option('--no-embed', 'store chunks without waiting for their vectors')
    .option('--text-field <name...>', 'JSON/JSONL field(s) holding the text (default: text, content, body)')
    .option('--id-field <name...>', 'JSON/JSONL field(s) holding the id (default: _id, id)')
    .option('--title-field <name...>', 'JSON/JSONL field(s) holding the title (default: title)')
    .action(async (paths: string[], flags: { exclude?: string[]; tenant?: string; embed: boolean; textField?: string[]; idField?: string[]; titleField?: string[] }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const report = await plumb.ingest(paths, {
          progress: !g.json,
          waitForVectors: flags.embed,
          ...(flags.exclude ? { exclude: flags.exclude } : {}),
          ...(flags.tenant ? { tenantId: flags.tenant } : {}),
          records: {
            ...(flags.textField ? { textField: flags.textField } : {}),
            ...(flags.idField ? { idField: flags.idField } : {}),
            ...(flags.titleField ? { titleField: flags.titleField } : {}),
          },
        });
        const nothingLoaded = report.documents.inserted + report.documents.replaced + report.documents.unchanged === 0;
        emit(g, report, () => `${formatIngestReport(report)}\nstore: ${plumb.config.dataDir}${nothingLoaded ? '' : '\nnext: plumb ask "<your question>"'}`);
        if (nothingLoaded && report.skipped.length > 0) process.exitCode = 1;
      });
    });
}
