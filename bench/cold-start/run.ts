/**
 * Cold start to first answer: `plumb serve --demo` on an empty data directory (and, in the worst
 * case, an empty word-vector cache), timed until the first /v1/query returns an answer.
 * Run: npx tsx bench/cold-start/run.ts
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWordVectorCache } from '../../src/providers/offline/word-vectors.ts';
import { machineInfo, machineLine } from '../machine.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));
const OUT = path.dirname(fileURLToPath(import.meta.url));

interface Run { scenario: string; readyMs: number; firstAnswerMs: number; retrievalMode: string; answerPreview: string }

async function coldStart(scenario: string, cacheDir: string): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data', dataDir], {
    env: { ...process.env, PLUMB_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /web page:\s+(http:\/\/\S+?)\/\s/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const readyMs = performance.now() - started;
    const res = await fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'How do I change the port?' }) });
    const body = (await res.json()) as { answer: { text: string }; retrieval: { mode: string } };
    const firstAnswerMs = performance.now() - started;
    return { scenario, readyMs: Math.round(readyMs), firstAnswerMs: Math.round(firstAnswerMs), retrievalMode: body.retrieval.mode, answerPreview: body.answer.text.slice(0, 120) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-cache-'));
const runs: Run[] = [];
runs.push(await coldStart('empty data dir, empty word-vector cache (first run after npm ci)', emptyCache));
// A server killed within seconds never finishes building the cache in the background; build it here.
await ensureWordVectorCache({ cacheDir: emptyCache });
for (let i = 0; i < 3; i++) runs.push(await coldStart('empty data dir, word-vector cache built', emptyCache));
fs.rmSync(emptyCache, { recursive: true, force: true });

const result = { benchmark: 'cold start to first answer', command: 'npx tsx bench/cold-start/run.ts', machine: machineInfo(), runs };
fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
const table = runs.map((r) => `| ${r.scenario} | ${r.readyMs} | ${r.firstAnswerMs} | ${r.retrievalMode} |`).join('\n');
fs.writeFileSync(
  path.join(OUT, 'RESULTS.md'),
  `# Cold start to first answer\n\n\`npm start\` (= \`plumb serve --demo\`) on an empty data directory: ingest the bundled docs, start the server, answer the first question.\n\n| scenario | server ready (ms) | first answer (ms) | retrieval mode of the first answer |\n|---|---|---|---|\n${table}\n\nMachine: ${machineLine(result.machine)}.\nCommand: \`${result.command}\`. Goal: first answer ≤ 10 s after \`npm ci\`.\n`,
);
console.log(JSON.stringify(runs, null, 2));
