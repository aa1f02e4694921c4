/**
 * Builds the Plumb a CLI command works on, from --config, --data and the environment. The app is
 * imported when a command first needs it, not when the CLI starts: loading all of plumb took
 * ~1.5 s of CPU, which `plumb --help`, `--version` and mistyped commands need not pay.
 */
import type { Plumb } from '../plumb.ts';
import type { GlobalOptions } from './output.ts';

export async function openPlumb(options: GlobalOptions, extra: Record<string, unknown> = {}): Promise<Plumb> {
  const { createPlumb } = await import('../app.ts');
  return createPlumb({
    ...(options.config ? { configPath: options.config } : {}),
    overrides: { ...(options.data ? { dataDir: options.data } : {}), ...extra },
  });
}

/** Runs `fn` with a Plumb and always closes it. */
export async function withPlumb<T>(options: GlobalOptions, fn: (plumb: Plumb) => Promise<T>): Promise<T> {
  const plumb = await openPlumb(options);
  try {
    return await fn(plumb);
  } finally {
    await plumb.close();
  }
}
