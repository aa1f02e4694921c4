// Does the gateway's memory grow under sustained traffic? plumb's real server (exact cache, per-tenant
// limits and budgets, ledger and traces all on) and Portkey's gateway, each in its own process, take
// the same stream of requests: every prompt new (so plumb's cache fills to its cap and then evicts),
// one in ten a repeat (cache hits), one in twenty streamed, spread over 100 tenants, 10 at a time,
// through the same stub upstream. Every `--every` requests the server reports its memory after a
// full GC (live heap) and its RSS.
//
//   npx tsx bench/gateway-memory/run.ts [--requests 200000] [--targets plumb,portkey] [--every 20000] [--from-json]
//
// Writes results.json and RESULTS.md here. Portkey needs bench/peers installed (cd bench/peers && npm ci).
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuild } from '../gateway-overhead/children.ts';
import { portkeyHeaders } from '../gateway-overhead/load.ts';
import { machineInfo } from '../machine.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { requests: { type: 'string', default: '200000' }, targets: { type: 'string', default: 'plumb,portkey' }, every: { type: 'string', default: '20000' }, 'from-json': { type: 'boolean', default: false } } });
const TOTAL = Number(values.requests);
const EVERY = Number(values.every);
const CONCURRENCY = 10;
const TENANTS = 100;

interface Child {
  process: ChildProcess;
  port: number;
}

function start(file: string, env: Record<string, string>, execArgv: string[] = []): Promise<Child> {
  const child = fork(file, [], { execArgv, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited before it was ready (code ${code})`)));
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready' && typeof m.port === 'number') resolve({ process: child, port: m.port });
    });
  });
}

function stop(child: Child): Promise<void> {
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.process.kill('SIGKILL'), 5000);
    child.process.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.process.disconnect();
  });
}

interface MemorySample {
  requests: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

function memoryOf(child: Child, requests: number): Promise<MemorySample> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; rss: number; heapUsed: number; external: number }) => {
      if (m.type !== 'memory') return;
      child.process.off('message', onMessage);
      const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
      resolve({ requests, rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external) });
    };
    child.process.on('message', onMessage);
    child.process.send({ type: 'memory' });
  });
}

/** Request number `i`: its tenant, whether it streams, and a prompt that is new unless it repeats an earlier one. */
function requestBody(i: number, model: string): { body: string; tenant: string } {
  const repeat = i % 10 === 9 && i > 1000;
  const n = repeat ? i - 1000 : i;
  const stream = i % 20 === 7;
  const messages = [
    { role: 'system', content: 'You answer in one short sentence.' },
    { role: 'user', content: `Question ${n}: how much latency does a gateway add in front of model number ${n % 997}?` },
  ];
  return { body: JSON.stringify({ model, messages, max_tokens: 64, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) }), tenant: `tenant-${n % TENANTS}` };
}

function send(port: number, agent: Agent, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface TargetResult {
  name: string;
  requests: number;
  failed: number;
  seconds: number;
  samples: MemorySample[];
  /** Live heap growth per 100,000 requests: the least-squares slope over the samples from a quarter of the run on. */
  heapGrowthMBPer100k: number;
  rssGrowthMBPer100k: number;
}

function growthOf(samples: MemorySample[]): Pick<TargetResult, 'heapGrowthMBPer100k' | 'rssGrowthMBPer100k'> {
  const steady = samples.filter((s) => s.requests >= samples.at(-1)!.requests / 4);
  return { heapGrowthMBPer100k: slopePer100k(steady, (s) => s.heapUsedMB), rssGrowthMBPer100k: slopePer100k(steady, (s) => s.rssMB) };
}

/** Least-squares slope of `y` over the samples' request counts, per 100,000 requests. */
function slopePer100k(samples: MemorySample[], y: (s: MemorySample) => number): number {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.requests, 0) / n;
  const my = samples.reduce((a, s) => a + y(s), 0) / n;
  const sxy = samples.reduce((a, s) => a + (s.requests - mx) * (y(s) - my), 0);
  const sxx = samples.reduce((a, s) => a + (s.requests - mx) ** 2, 0);
  return Math.round((sxy / sxx) * 100_000 * 10) / 10;
}

async function drive(name: string, child: Child, headersOf: (tenant: string) => Record<string, string>, model: string): Promise<TargetResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const samples: MemorySample[] = [await memoryOf(child, 0)];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  while (next < TOTAL) {
    const until = Math.min(TOTAL, next + EVERY);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < until) {
          const { body, tenant } = requestBody(next++, model);
          if ((await send(child.port, agent, headersOf(tenant), body)) !== 200) failed++;
        }
      }),
    );
    samples.push(await memoryOf(child, until));
    process.stderr.write(`  ${name}: ${until.toLocaleString('en-US')} requests, RSS ${samples.at(-1)!.rssMB} MB, live heap ${samples.at(-1)!.heapUsedMB} MB\n`);
  }
  agent.destroy();
  const seconds = (performance.now() - t0) / 1000;
  return { name, requests: TOTAL, failed, seconds: Math.round(seconds), samples, ...growthOf(samples) };
}

/** Runs every target, or with --from-json re-reads the last run's results.json (to rewrite the report only). */
async function runTargets(): Promise<{ about: ReturnType<typeof machineInfo>; results: TargetResult[] }> {
  if (values['from-json']) {
    const saved = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8')) as { machine: ReturnType<typeof machineInfo>; results: TargetResult[] };
    return { about: saved.machine, results: saved.results.map((r) => ({ ...r, ...growthOf(r.samples) })) };
  }
  ensureBuild();
  const stub = await start(join(HERE, '..', 'gateway-overhead', 'servers', 'stub.mjs'), {});
  const upstream = `http://127.0.0.1:${stub.port}/v1`;
  const results: TargetResult[] = [];
  for (const name of values.targets.split(',')) {
    process.stderr.write(`${name}: ${TOTAL.toLocaleString('en-US')} requests\n`);
    if (name === 'plumb') {
      const plumb = await start(join(HERE, 'servers', 'plumb-full.mjs'), { STUB_URL: upstream }, ['--expose-gc']);
      results.push(await drive('plumb', plumb, (tenant) => ({ 'x-plumb-tenant': tenant }), 'fast'));
      await stop(plumb);
    } else if (name === 'portkey') {
      const portkey = await start(join(HERE, 'servers', 'portkey-probed.mjs'), {}, ['--expose-gc']);
      results.push(await drive('portkey', portkey, () => portkeyHeaders(upstream), 'gpt-4o-mini'));
      await stop(portkey);
    } else throw new Error(`unknown target ${name} (plumb, portkey)`);
  }
  await stop(stub);
  return { about: machineInfo(), results };
}

const { about, results } = await runTargets();
writeFileSync(join(HERE, 'results.json'), `${JSON.stringify({ machine: about, requests: TOTAL, concurrency: CONCURRENCY, tenants: TENANTS, results }, null, 2)}\n`);
const rows = results.flatMap((r) => r.samples.map((s) => `| ${r.name} | ${s.requests.toLocaleString('en-US')} | ${s.rssMB} | ${s.heapUsedMB} | ${s.externalMB} |`));
const summary = results.map((r) => `| ${r.name} | ${r.requests.toLocaleString('en-US')} | ${r.failed} | ${r.seconds} | ${r.samples[1]!.heapUsedMB} → ${r.samples.at(-1)!.heapUsedMB} | **${r.heapGrowthMBPer100k}** | ${r.samples[1]!.rssMB} → ${r.samples.at(-1)!.rssMB} | ${r.rssGrowthMBPer100k} |`);
writeFileSync(
  join(HERE, 'RESULTS.md'),
  `# Gateway memory under sustained traffic

\`npx tsx bench/gateway-memory/run.ts --requests ${results[0]?.requests ?? TOTAL} --every ${EVERY}\` · ${about.cpu}, ${about.cores} cores, ${about.memoryGb} GB, Node ${about.node}, ${about.platform}, ${about.date}, load average ${about.loadAverage1m}

Each server in its own process (plumb compiled, as \`plumb serve\` runs it, with the exact cache (memory backend, 10,000-entry LRU), per-tenant rate limits and hard budgets (in-memory counters), the ledger and traces in SQLite; Portkey's gateway 1.15.2 as in bench/gateway-overhead), the same stub upstream, ${CONCURRENCY} requests at a time from this process. Every prompt is new except one in ten, which repeats the prompt of 1,000 requests before (a cache hit for plumb); one in twenty is streamed; ${TENANTS} tenants. "Live heap" is \`heapUsed\` right after a full GC in the server (\`--expose-gc\`), so it counts what is kept, not garbage waiting for collection. Growth is the least-squares slope over the samples from a quarter of the run on (plumb's cache is full by then).

| target | requests | failed | seconds | live heap MB (first sample → end) | live heap growth, MB per 100k requests (slope) | RSS MB (first sample → end) | RSS growth, MB per 100k (slope) |
|---|---|---|---|---|---|---|---|
${summary.join('\n')}

## Every sample

| target | requests | RSS MB | live heap MB | external MB |
|---|---|---|---|---|
${rows.join('\n')}
`,
);
process.stderr.write(`wrote ${join(HERE, 'RESULTS.md')}\n`);
