/**
 * The eval run/report/compare/gate commands in-process (a commander program like main.ts builds),
 * on a real store in a temp dir: one live run, an exported baseline, and a recorded run with
 * clearly worse answers that the gate must fail on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DOCS, tempDir, tempPlumb } from '../../testing/temp-plumb.ts';
import type { GlobalOptions } from '../output.ts';
import { registerEvalRunCommands } from './eval-run-commands.ts';

async function cli(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  const program = new Command().option('--json').option('--data <dir>').option('--config <file>').exitOverride();
  registerEvalRunCommands(program.command('eval'), () => program.opts<GlobalOptions>());
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'plumb', ...args]);
  } finally {
    process.stdout.write = write;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout: chunks.join(''), exitCode };
}

const CASES = [
  { id: 'port', question: 'Which port does the server listen on by default?', referenceAnswer: 'The server listens on port 8787 by default.', goldPassages: ['The server listens on port 8787 by default.'] },
  { id: 'keys', question: 'How are API keys stored?', referenceAnswer: 'API keys are hashed with SHA-256 before they are stored.', goldPassages: ['API keys are hashed with SHA-256 before they are stored.'] },
  { id: 'chunks', question: 'How are chunk sizes measured?', referenceAnswer: 'Chunk sizes are measured in BPE tokens.', goldPassages: ['Chunk sizes are measured in BPE tokens.'] },
  { id: 'split', question: 'How are documents split?', referenceAnswer: 'Documents are split by headings, then paragraphs, then sentences.', goldPassages: ['Documents are split by headings, then paragraphs, then sentences.'] },
];

describe('plumb eval run / report / compare / gate', () => {
  let dir: string;
  let data: string;
  let golden: string;
  const savedEnv = process.env.PLUMB_EMBEDDINGS__PROVIDER;

  beforeAll(async () => {
    process.env.PLUMB_EMBEDDINGS__PROVIDER = 'none';
    dir = tempDir('plumb-evalcli-');
    const { plumb, dataDir } = await tempPlumb({ embeddings: { provider: 'none' } });
    await plumb.addDocuments(SAMPLE_DOCS);
    await plumb.close();
    data = dataDir;
    golden = path.join(dir, 'golden.jsonl');
    fs.writeFileSync(golden, `${CASES.map((c) => JSON.stringify(c)).join('\n')}\n{not json}\n`);
  });
  afterAll(() => {
    if (savedEnv === undefined) delete process.env.PLUMB_EMBEDDINGS__PROVIDER;
    else process.env.PLUMB_EMBEDDINGS__PROVIDER = savedEnv;
  });

  it('runs, reports, exports a baseline, compares and gates', async () => {
    const html = path.join(dir, 'report.html');
    const run = await cli(['--json', '--data', data, 'eval', 'run', '--golden', golden, '--name', 'good', '--html', html]);
    const summary = JSON.parse(run.stdout) as { id: string; goldenSet: { cases: number }; aggregates: Array<{ metric: string; mean: number | null; n: number }> };
    expect(summary.goldenSet.cases).toBe(4);
    expect(summary.aggregates.find((a) => a.metric === 'recall@5')).toMatchObject({ mean: 1, n: 4 });
    expect(fs.readFileSync(html, 'utf8')).toContain('<tr data-case="split">');

    const human = await cli(['--data', data, 'eval', 'report', 'good']);
    expect(human.stdout).toMatch(/token_f1\s+\d\.\d{3}\s+\[/);
    const baseline = path.join(dir, 'baseline.json');
    fs.writeFileSync(baseline, (await cli(['--json', '--data', data, 'eval', 'report', summary.id])).stdout);

    const same = await cli(['--data', data, 'eval', 'gate', '--baseline', baseline, '--run', summary.id, '--max-drop', 'token_f1=0.01,recall@5=0.01']);
    expect(same.exitCode).toBe(0);
    expect(same.stdout).toMatch(/PASSED/);

    // Recorded outputs that answer every question wrongly from an irrelevant chunk.
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, CASES.map((c) => JSON.stringify({ caseId: c.id, answer: 'Bananas are yellow.', contexts: [{ chunkId: 'x', documentId: 'x', text: 'Bananas are yellow fruit.' }] })).join('\n'));
    const badRun = JSON.parse((await cli(['--json', '--data', data, 'eval', 'run', '--golden', golden, '--outputs', bad, '--name', 'bad'])).stdout) as { id: string };

    const compare = JSON.parse((await cli(['--json', '--data', data, 'eval', 'compare', 'good', 'bad'])).stdout) as { worsened: Array<{ caseId: string; metric: string }> };
    expect(compare.worsened.some((w) => w.caseId === 'port' && w.metric === 'token_f1')).toBe(true);

    const gate = await cli(['--data', data, 'eval', 'gate', '--baseline', baseline, '--run', badRun.id, '--max-drop', 'token_f1=0.01']);
    expect(gate.exitCode).toBe(1);
    expect(gate.stdout).toMatch(/FAILED[\s\S]*token_f1[\s\S]*(port|keys|chunks|split):/);

    const list = JSON.parse((await cli(['--json', '--data', data, 'eval', 'runs'])).stdout) as { runs: Array<{ name: string; status: string }> };
    expect(list.runs.map((r) => r.name).sort()).toEqual(['bad', 'good']);
  });
});
