/**
 * plumb's real HTTP API under load: POST /v1/retrieve and POST /v1/query on a server (own
 * process, 127.0.0.1) holding the SciFact corpus, driven by autocannon at concurrency 1 and 10.
 * Run: npx tsx bench/http-api/run.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createPlumb } from '../../src/app.ts';
import { readBeirQueries } from '../../src/evals/retrieval-metrics.ts';
import { machineInfo, machineLine } from '../machine.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));
const DATA = fileURLToPath(new URL('../../../shared/datasets/scifact/', import.meta.url));
const OUT = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.DURATION ?? 8);

// Ingest once, in this process, then serve the store from a separate process.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-http-bench-'));
const setup = await createPlumb({ config: { dataDir }, env: {} });
await setup.ingest([path.join(DATA, 'corpus.jsonl')], { waitForVectors: true });
await setup.close();

const server: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => {
  let out = '';
  server.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /web page:\s+(http:\/\/\S+?)\/\s/.exec(out);
    if (m) resolve(m[1]!);
  });
});

const questions = readBeirQueries(path.join(DATA, 'queries.train.jsonl')).map((q) => q.text);
let next = 0;
const body = (field: 'query' | 'question') => JSON.stringify({ [field]: questions[next++ % questions.length] });

async function load(pathName: string, field: 'query' | 'question', connections: number) {
  const result = await autocannon({
    url: `${url}${pathName}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, body: body(field) }) }],
  });
  return {
    endpoint: pathName,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

try {
  await load('/v1/retrieve', 'query', 4); // warm-up
  const runs = [];
  for (const [pathName, field] of [['/v1/retrieve', 'query'], ['/v1/query', 'question']] as const) {
    for (const c of [1, 10]) runs.push(await load(pathName, field, c));
  }
  const result = { benchmark: 'plumb HTTP API on loopback (SciFact corpus, hybrid retrieval, extractive answers)', command: 'npx tsx bench/http-api/run.ts', machine: machineInfo(), durationSeconds: DURATION, runs };
  fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const rows = runs.map((r) => `| ${r.endpoint} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`);
  fs.writeFileSync(
    path.join(OUT, 'RESULTS.md'),
    `# plumb's HTTP API under load

The real server (\`plumb serve\`, its own process, 127.0.0.1) over the SciFact corpus (5,183 abstracts,
5,479 chunks, vectors built), hybrid retrieval, k = 8, the extractive answerer; every request a
different SciFact claim; autocannon from another process for ${DURATION} s per row. Each request is
traced and its trace written to SQLite.

| endpoint | connections | requests/s | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

Machine: ${machineLine(result.machine)}. Command: \`${result.command}\`.
The framework comparison (Hono vs Fastify on a fixed handler) is in bench/http-framework.
`,
  );
  console.log(fs.readFileSync(path.join(OUT, 'RESULTS.md'), 'utf8'));
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
