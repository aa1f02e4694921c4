/** The `plumb` command line: a thin layer over the library (src/plumb.ts). */
import { Command, CommanderError } from 'commander';
import { PLUMB_VERSION } from '../core/version.ts';
import { registerAdminCommands } from './commands/admin-commands.ts';
import { registerBenchCacheCommand } from './commands/bench-cache-command.ts';
import { registerCalibrateCommand } from './commands/eval-calibrate-command.ts';
import { registerEvalCommands } from './commands/eval-command.ts';
import { registerGenerateCommand } from './commands/eval-generate-command.ts';
import { registerHallucinationCommand } from './commands/eval-hallucination-command.ts';
import { registerImportCommand } from './commands/eval-import-command.ts';
import { registerEvalRunCommands } from './commands/eval-run-commands.ts';
import { registerIngestCommand } from './commands/ingest-command.ts';
import { registerQueryCommands } from './commands/query-commands.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { installGlobalOptions } from './global-options.ts';
import { reportError, type GlobalOptions } from './output.ts';

const program = new Command();
program
  .name('plumb')
  .description('Offline RAG: ingest documents, retrieve, answer with citations, serve an API.')
  .version(PLUMB_VERSION)
  .option('--json', 'print machine-readable JSON')
  .option('--config <file>', 'configuration file (default: ./plumb.config.yaml|yml|json)')
  .showHelpAfterError('(run `plumb --help` for usage)')
  .exitOverride();

// Filled in before each command runs (global-options.ts), once the commands are registered.
let currentOptions: () => GlobalOptions = () => ({});
const globals = (): GlobalOptions => currentOptions();
registerServeCommand(program, globals);
registerIngestCommand(program, globals);
registerQueryCommands(program, globals);
registerAdminCommands(program, globals);
const evalCommand = registerEvalCommands(program, globals);
registerEvalRunCommands(evalCommand, globals);
registerHallucinationCommand(evalCommand, globals);
registerCalibrateCommand(evalCommand, globals);
registerGenerateCommand(evalCommand, globals);
registerImportCommand(evalCommand, globals);
registerBenchCacheCommand(program, globals);
currentOptions = installGlobalOptions(program);

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
