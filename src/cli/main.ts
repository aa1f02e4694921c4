/** The `plumb` command line: a thin layer over the library (src/plumb.ts). */
import { Command, CommanderError } from 'commander';
import { PLUMB_VERSION } from '../server/create-app.ts';
import { registerAdminCommands } from './commands/admin-commands.ts';
import { registerEvalCommands } from './commands/eval-command.ts';
import { registerIngestCommand } from './commands/ingest-command.ts';
import { registerQueryCommands } from './commands/query-commands.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { reportError, type GlobalOptions } from './output.ts';

const program = new Command();
program
  .name('plumb')
  .description('Offline RAG: ingest documents, retrieve, answer with citations, serve an API.')
  .version(PLUMB_VERSION)
  .option('--json', 'print machine-readable JSON')
  .option('--config <file>', 'configuration file (default: ./plumb.config.yaml|yml|json)')
  .option('--data <dir>', 'where the store lives (PLUMB_DATA_DIR)')
  .showHelpAfterError('(run `plumb --help` for usage)')
  .exitOverride();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
registerServeCommand(program, globals);
registerIngestCommand(program, globals);
registerQueryCommands(program, globals);
registerAdminCommands(program, globals);
registerEvalCommands(program, globals);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit cleanly; usage errors were already printed by commander.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    reportError(error, program.opts<GlobalOptions>().json === true);
  }
}
