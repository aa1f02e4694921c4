import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { openTestRedisCounters, testPrefix, TEST_REDIS_URL } from '../gateway/limits/redis-test-counters.ts';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { awaitServeBanner, type ServedCli } from '../testing/served-cli.ts';
import { tempDir } from '../testing/temp-plumb.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

interface Served extends ServedCli {
  child: ChildProcessWithoutNullStreams;
}

function spawnServe(args: string[], config?: object, detached = false): ChildProcessWithoutNullStreams {
  const dir = tempDir();
  const configArgs: string[] = [];
  if (config) {
    const file = path.join(dir, 'plumb.config.json');
    fs.writeFileSync(file, JSON.stringify(config));
    configArgs.push('--config', file);
  }
  const child = spawn(process.execPath, [BIN, ...configArgs, 'serve', '--port', '0', '--data', path.join(dir, 'data'), ...args], {
    cwd: dir,
    env: { ...process.env, PLUMB_EMBEDDINGS__PROVIDER: 'none' },
    // Its own process group, so a test can signal the primary and the workers together, as Ctrl+C does.
    detached,
  });
  // A failed assertion must not leave servers running.
  onTestFinished(() => {
    for (const pid of childrenOf(child.pid!)) killQuietly(pid);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function serve(args: string[], config?: object, detached = false): Promise<Served> {
  const child = spawnServe(args, config, detached);
  const served = await awaitServeBanner(child);
  expect(served.stdout).toContain('workers:   2 processes share the port');
  return { child, ...served };
}

/**
 * Worker pids: processes running plumb whose parent is `pid` (Linux /proc). Not every child is a
 * worker: a primary running the sources through tsx also has esbuild's service process.
 */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised command, which may hold spaces) is the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('plumb.js')) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Both workers serve (and handle signals) once the primary says so. */
const bothReady = (served: Served) => until('both workers ready', () => (/plumb: 2 workers ready \(pids \d+, \d+\)/.test(served.stderr()) ? true : undefined));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('plumb serve --workers', { timeout: 60_000 }, () => {
  it('serves one port from two processes, replaces a worker that dies, and stops them all on SIGTERM', async () => {
    const served = await serve(['--workers', '2']);
    const primary = served.child.pid!;
    await bothReady(served);
    const first = childrenOf(primary);
    expect(first).toHaveLength(2);
    expect(served.stderr()).toContain('share <dataDir>/cache.db');

    // One worker dies hard: the port keeps answering, and a new process takes the dead one's slot.
    process.kill(first[0]!, 'SIGKILL');
    // Node's cluster primary can hand a connection accepted in the instant before it notices the
    // death to the dead worker, where it hangs: ask once the primary has seen the exit.
    await until('the primary to see the exit', () => (/exited \(SIGKILL\); starting another/.test(served.stderr()) ? true : undefined));
    // Each on a new connection (a kept-alive one may have belonged to the dead worker), and bounded in time.
    const health = () => fetch(`${served.url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(10_000) });
    for (let i = 0; i < 10; i++) expect((await health()).status).toBe(200);
    const replaced = await until('a replacement worker', () => {
      const pids = childrenOf(primary);
      return pids.length === 2 && !pids.includes(first[0]!) ? pids : undefined;
    });
    expect(replaced).toContain(first[1]!);
    expect(served.stderr()).toMatch(/worker \d \(pid \d+\) exited \(SIGKILL\); starting another/);
    expect((await health()).status).toBe(200);

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    expect(childrenOf(primary)).toEqual([]);
  });

  it('stops cleanly on Ctrl+C, which signals the primary and every worker at once, without replacing any', async () => {
    const served = await serve(['--workers', '2'], undefined, true);
    const primary = served.child.pid!;
    await until('two workers', () => (childrenOf(primary).length === 2 ? true : undefined));
    process.kill(-primary, 'SIGINT');
    expect(await served.exited).toBe(0);
    expect(childrenOf(primary)).toEqual([]);
    expect(served.stderr()).not.toContain('starting another');
  });

  it('when the workers see the stop first (they exit cleanly), the primary stops too instead of replacing them', async () => {
    const served = await serve(['--workers', '2']);
    await bothReady(served);
    for (const pid of childrenOf(served.child.pid!)) process.kill(pid, 'SIGINT');
    expect(await served.exited).toBe(0);
    expect(served.stderr()).not.toContain('starting another');
  });

  it('refuses in-memory budgets with several workers, saying to move them to Redis', async () => {
    const child = spawnServe(['--workers', '2'], { budgets: { tenants: { acme: { tokens: { daily: 1000 } } } } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('server.workers is 2, but budgets are kept in memory');
    expect(stderr).toContain('redis://');
  });

  it('keeps a hard budget across workers on Redis: 50 concurrent requests never overspend, and spent equals the ledger', async () => {
    const upstream = await startOpenAIWireServer(() => ({ type: 'chat', text: 'ok', usage: { prompt_tokens: 10, completion_tokens: 20 } }));
    closers.push(() => upstream.close());
    const prefix = testPrefix();
    closers.push(async () => (await openTestRedisCounters(prefix)).close());
    const budget = 400;
    const served = await serve(['--workers', '2'], {
      gateway: {
        providers: { wire: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } },
        aliases: { smart: { provider: 'wire', model: 'm' } },
        prices: { m: { inputPerMTok: 1, outputPerMTok: 2 } },
      },
      cache: { exact: false },
      budgets: { backend: { redis: TEST_REDIS_URL, prefix }, tenants: { acme: { tokens: { daily: budget }, mode: 'hard' } }, defaultMaxOutputTokens: 20 },
    });
    await until('two workers', () => (childrenOf(served.child.pid!).length === 2 ? true : undefined));

    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${served.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-plumb-tenant': 'acme' },
          body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: `question ${i}` }] }),
        }).then((res) => res.status),
      ),
    );
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBe(50 - ok);

    // Each worker group-commits its ledger rows every few ms, and a read waits only for its own
    // worker's queue: the other worker's last rows show up a moment later.
    const ledgerTotals = async () =>
      ((await (await fetch(`${served.url}/v1/ledger?limit=0`, { headers: { 'x-plumb-tenant': 'acme' } })).json()) as { totals: { requests: number; inputTokens: number; outputTokens: number } }).totals;
    let totals = await ledgerTotals();
    for (let tries = 0; totals.inputTokens + totals.outputTokens < ok * 30 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      totals = await ledgerTotals();
    }
    const booked = totals.inputTokens + totals.outputTokens;
    expect(totals.requests).toBeGreaterThanOrEqual(ok);
    expect(booked).toBe(ok * 30);
    expect(booked).toBeLessThanOrEqual(budget);
    const budgets = (await (await fetch(`${served.url}/v1/budgets`, { headers: { 'x-plumb-tenant': 'acme' } })).json()) as { budgets: Array<{ unit: string; spent: number }> };
    expect(budgets.budgets.find((b) => b.unit === 'tokens')!.spent).toBe(booked);

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  });
});
