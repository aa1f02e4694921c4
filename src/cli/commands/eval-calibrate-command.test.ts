// `plumb eval calibrate` in-process: a real commander program, a real Plumb on a temp data dir,
// and for --judge llm the configured answer model pointing at an OpenAI wire-format server.
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCalibration } from '../../evals/calibration/index.ts';
import { startOpenAIWireServer, type OpenAIWireServer } from '../../providers/testing/index.ts';
import { SqliteStore } from '../../store/index.ts';
import { tempDir } from '../../testing/temp-plumb.ts';
import type { GlobalOptions } from '../output.ts';
import { registerCalibrateCommand } from './eval-calibrate-command.ts';

let server: OpenAIWireServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Runs `plumb eval calibrate <args>` and returns what it printed on stdout. */
async function calibrate(globals: GlobalOptions, args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCalibrateCommand(program.command('eval'), () => globals);
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await program.parseAsync(['node', 'plumb', 'eval', 'calibrate', ...args]);
  return out.join('');
}

function writeFile(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const faithBench = [
  { source: 'Poseidon grossed $181,674,817 worldwide on a budget of $160 million.', summary: 'Poseidon grossed $181,674,817 worldwide.', worst_label: 'Consistent' },
  { source: 'Poseidon grossed $181,674,817 worldwide on a budget of $160 million.', summary: 'Poseidon had a budget of $200 million.', worst_label: 'Unwanted' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describe('plumb eval calibrate', () => {
  it('calibrates the configured LLM as judge on FaithBench rows and stores it under the judge version', async () => {
    server = await startOpenAIWireServer((request) => {
      const claim = /^Claim: (.*)$/m.exec((request.body as { messages: Array<{ content: string }> }).messages[1]?.content ?? '')?.[1] ?? '';
      const verdict = claim.includes('$200 million') ? 'contradicted' : 'supported';
      return { type: 'chat', text: JSON.stringify({ verdicts: [{ passage: 1, verdict, quote: verdict === 'supported' ? 'Poseidon grossed $181,674,817 worldwide' : 'a budget of $160 million' }] }) };
    });
    const dir = tempDir();
    const config = writeFile(dir, 'plumb.config.json', JSON.stringify({ embeddings: { provider: 'none' }, answer: { provider: 'openai-compatible', baseUrl: server.baseURL, model: 'judge-1' } }));
    const data = writeFile(dir, 'faithbench.jsonl', `${faithBench}\n{broken\n`);
    const dataDir = path.join(dir, 'data');

    const printed = JSON.parse(await calibrate({ json: true, config, data: dataDir }, ['--data', data, '--judge', 'llm'])) as Record<string, unknown>;
    expect(printed).toMatchObject({ balancedAccuracy: 1, precision: 1, recall: 1, f1: 1, kappa: 1, n: 2, undetermined: 0, judgeKind: 'llm', skippedLines: 1, tenant: 'default', judgeStats: { modelCalls: 2, cacheHits: 0 } });
    expect(printed['judgeVersion']).toMatch(/^llm-v1:[^:]+\/judge-1:claim-support@1/);

    // A re-run is answered from the judge cache: no new model calls.
    const again = JSON.parse(await calibrate({ json: true, config, data: dataDir }, ['--data', data, '--judge', 'llm'])) as { judgeStats: { modelCalls: number; cacheHits: number } };
    expect(again.judgeStats).toMatchObject({ modelCalls: 0, cacheHits: 2 });
    expect(server.requests).toHaveLength(2);

    const store = SqliteStore.open({ path: path.join(dataDir, 'plumb.db') });
    try {
      expect(await getCalibration(store, 'default', String(printed['judgeVersion']))).toMatchObject({ balancedAccuracy: 1, n: 2, dataHash: printed['dataHash'] });
    } finally {
      await store.close();
    }
  });

  it('refuses --judge llm when the answer model is the offline extractive answerer', async () => {
    const dir = tempDir();
    const config = writeFile(dir, 'plumb.config.json', JSON.stringify({ embeddings: { provider: 'none' } }));
    const data = writeFile(dir, 'rows.jsonl', '{"context":"c","answer":"a b c.","label":true}\n');
    await expect(calibrate({ json: true, config, data: path.join(dir, 'data') }, ['--data', data, '--judge', 'llm'])).rejects.toMatchObject({
      code: 'invalid_config',
      hint: expect.stringContaining('configure answer.provider'),
    });
  });

  it('rejects a file with no readable row and --samples with the offline judge', async () => {
    const dir = tempDir();
    const data = writeFile(dir, 'rows.jsonl', '{"context":"c"}\n');
    const g = { json: true, data: path.join(dir, 'data') };
    await expect(calibrate(g, ['--data', data])).rejects.toThrow(/no usable rows \(line 1: missing "answer"/);
    await expect(calibrate(g, ['--data', data, '--samples', '3'])).rejects.toThrow(/--samples applies to --judge llm only/);
  });
});
