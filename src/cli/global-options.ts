/**
 * Options every command may use. `--json` and `--config` belong to the root program. `--data`
 * (where the store lives) is added only to the commands that open the store, because for
 * `eval hallucination` and `eval calibrate` `--data` names the labelled file instead.
 */
import type { Command } from 'commander';
import type { GlobalOptions } from './output.ts';

/** Commands that open the configured store, by their path under `plumb`. */
const STORE_COMMANDS = [
  'serve', 'ingest', 'ask', 'retrieve', 'docs list', 'docs rm', 'traces list', 'traces show', 'keys create', 'keys list', 'keys revoke', 'ledger',
  'eval run', 'eval runs', 'eval report', 'eval compare', 'eval gate',
];

/** Adds `--data <dir>` to the store commands; returns a function giving the running command's options. */
export function installGlobalOptions(program: Command): () => GlobalOptions {
  const storeCommands = new Set<Command>();
  for (const name of STORE_COMMANDS) {
    const command = name.split(' ').reduce<Command | undefined>((parent, part) => parent?.commands.find((c) => c.name() === part), program);
    if (!command) throw new Error(`installGlobalOptions: no command "${name}"`);
    command.option('--data <dir>', 'where the store lives (default .plumb; PLUMB_DATA_DIR)');
    storeCommands.add(command);
  }
  let active: GlobalOptions = {};
  program.hook('preAction', (_root, action) => {
    const root = program.opts<{ json?: boolean; config?: string }>();
    const own = action.opts<{ data?: string }>();
    active = {
      ...(root.json ? { json: true } : {}),
      ...(root.config ? { config: root.config } : {}),
      ...(storeCommands.has(action) && own.data ? { data: own.data } : {}),
    };
  });
  return () => active;
}
