/** How the CLI prints: JSON for scripts (--json), readable text for people, errors that say what to do. */
import { PlumbError, toPlumbError } from '../core/errors.ts';

export interface GlobalOptions {
  json?: boolean;
  config?: string;
  data?: string;
  tenant?: string;
}

/** Prints a result: `value` as JSON with --json, else the human rendering. */
export function emit(options: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Prints an error (JSON on stdout with --json, text on stderr) and sets a failing exit code. */
export function reportError(error: unknown, json: boolean): void {
  const e = toPlumbError(error);
  if (json) process.stdout.write(`${JSON.stringify(e.toJSON(), null, 2)}\n`);
  else {
    process.stderr.write(`error: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
    if (e.code === 'internal' && e.cause instanceof Error && e.cause.stack && process.env.PLUMB_DEBUG) process.stderr.write(`${e.cause.stack}\n`);
  }
  process.exitCode = e.code === 'bad_request' || e.code === 'invalid_config' ? 2 : 1;
}

/** Parses an integer flag with a clear error. */
export function intOption(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new PlumbError('bad_request', `--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
}

/** Parses --mode. */
export function modeOption(raw: string): 'bm25' | 'vector' | 'hybrid' {
  if (raw === 'bm25' || raw === 'vector' || raw === 'hybrid') return raw;
  throw new PlumbError('bad_request', `--mode must be bm25, vector or hybrid, got "${raw}"`);
}

/** Indents every line of a block of text. */
export function indent(text: string, by = '    '): string {
  return text.split('\n').map((l) => by + l).join('\n');
}
