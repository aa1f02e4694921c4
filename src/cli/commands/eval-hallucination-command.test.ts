import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerHallucinationCommand } from './eval-hallucination-command.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-halluc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const source = 'Poseidon (film) . Poseidon grossed $ 181,674,817 at the worldwide box office on a budget of $ 160 million .';
const file = path.join(dir, 'rows.jsonl');
fs.writeFileSync(
  file,
  [
    JSON.stringify({ source, summary: 'Poseidon grossed $181,674,817 worldwide on a budget of $160 million.', worst_label: 'Consistent' }),
    JSON.stringify({ source, summary: 'Poseidon grossed $150 million worldwide.', worst_label: 'Unwanted' }),
    '{broken',
    JSON.stringify({ context: source, answer: 'Poseidon won two Academy Awards for Steven Spielberg.', label: true }),
    JSON.stringify({ context: source, answer: 'Poseidon had a budget of $160 million.', label: 'faithful' }),
  ].join('\n'),
);

/** The real command on a fresh commander program, as main.ts registers it; returns what it printed. */
async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerHallucinationCommand(program.command('eval'), () => ({ json: true }));
  let printed = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'plumb', 'eval', 'hallucination', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return printed;
}

describe('plumb eval hallucination', () => {
  it('prints one JSON object with the metrics first, hallucinated as the positive class', async () => {
    const out = JSON.parse(await run(['--data', file])) as Record<string, unknown>;
    expect(Object.keys(out).slice(0, 5)).toEqual(['balanced_accuracy', 'precision', 'recall', 'f1', 'n']);
    expect(out).toMatchObject({ balanced_accuracy: 1, precision: 1, recall: 1, f1: 1, n: 4, skipped_lines: 1, judge: { version: 'offline-v1', kind: 'heuristic' } });
  });

  it('fails under --strict on the malformed line, naming it', async () => {
    await expect(run(['--data', file, '--strict'])).rejects.toThrow(/line 3: not valid JSON/);
    await expect(run(['--data', path.join(dir, 'missing.jsonl')])).rejects.toThrow(/no such file/);
  });

  it('runs as a real process: node bin/plumb.js eval hallucination --json --limit', () => {
    const result = spawnSync(process.execPath, ['bin/plumb.js', 'eval', 'hallucination', '--data', file, '--json', '--limit', '2'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { n: number; balanced_accuracy: number };
    expect(out.n).toBe(2);
    expect(out.balanced_accuracy).toBe(1);
  });
});
