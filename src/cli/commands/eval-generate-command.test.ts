import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import type { GoldenCase } from '../../evals/types.ts';
import { registerGenerateCommand } from './eval-generate-command.ts';

const docsDir = path.resolve(import.meta.dirname, '../../../docs');
let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The real command on a fresh commander program, as main.ts will register it. */
async function run(args: string[], config?: string): Promise<void> {
  const program = new Command().exitOverride();
  const evalCommand = program.command('eval');
  registerGenerateCommand(evalCommand, () => ({ json: true, ...(config ? { config } : {}) }));
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write; // keep the test log readable
  try {
    await program.parseAsync(['node', 'plumb', 'eval', 'generate', ...args]);
  } finally {
    process.stdout.write = write;
  }
}

describe('plumb eval generate', () => {
  it('writes an offline golden set from the docs folder as JSONL, the same for the same seed', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-gen-'));
    const out = path.join(dir, 'sub', 'golden.jsonl');
    await run(['--corpus', docsDir, '--out', out, '--count', '12', '--seed', '3']);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(12);
    const cases = lines.map((l) => JSON.parse(l) as GoldenCase);
    for (const c of cases) {
      expect(c).toMatchObject({ id: expect.stringMatching(/^syn-/), question: expect.stringMatching(/\?$/), tags: ['synthetic', 'offline'] });
      expect(Object.keys(c.relevantDocumentIds ?? {})).toHaveLength(1);
      expect(c.goldPassages?.[0]?.length).toBeGreaterThan(20);
    }
    const again = path.join(dir, 'again.jsonl');
    await run(['--corpus', docsDir, '--out', again, '--count', '12', '--seed', '3']);
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
  });

  it('refuses --llm when the configured answer model is the offline extractive one', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-gen-'));
    const config = path.join(dir, 'plumb.config.json');
    fs.writeFileSync(config, JSON.stringify({ answer: { provider: 'extractive' } }));
    await expect(run(['--corpus', docsDir, '--out', path.join(dir, 'g.jsonl'), '--llm'], config)).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('extractive'),
      hint: expect.stringContaining('answer.provider'),
    });
    expect(fs.existsSync(path.join(dir, 'g.jsonl'))).toBe(false);
  });
});
