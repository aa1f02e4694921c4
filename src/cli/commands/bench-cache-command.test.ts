import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SEMANTIC_POLICY } from '../../gateway/cache/default-policy.ts';
import { registerBenchCacheCommand } from './bench-cache-command.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-bench-cache-'));
afterEach(() => vi.restoreAllMocks());

describe('plumb bench cache', () => {
  it('replays pairs through the default semantic cache and prints one JSON object', async () => {
    const file = path.join(dir, 'pairs.jsonl');
    const rows = [
      { a: 'How do I reset my password?', b: 'How can I reset my password?', duplicate: true },
      { a: 'What is the best way to learn Python?', b: 'What are the best ways to learn Python?', duplicate: true },
      { a: 'What major events happened in 2002?', b: 'What major events happened in 1992?', duplicate: false },
      { a: 'What is the capital of France?', b: 'What is the capital of Germany?', duplicate: false },
    ];
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    const program = new Command().exitOverride();
    registerBenchCacheCommand(program, () => ({ json: true }));
    await program.parseAsync(['node', 'plumb', 'bench', 'cache', '--pairs', file]);
    expect(JSON.parse(out)).toEqual({ threshold: DEFAULT_SEMANTIC_POLICY.threshold, hit_rate: 1, false_hit_rate: 0, pairs: 4 });
  });
});
