/**
 * `plumb serve --workers N`: N processes serving one port through node:cluster, because one
 * Node.js process uses one core for its JavaScript. The primary only forks, restarts and stops
 * workers; each worker is a whole plumb server on the shared SQLite store (WAL; every process
 * already notices the others' writes). State that must be one across workers has to live
 * outside them: rate limits and budgets on Redis (else each worker would let a tenant spend the
 * whole budget again, the overspend of budgets kept per replica), caches in a shared file or on
 * Redis (else an ingest in one worker would leave stale answers cached in the others).
 */
import cluster, { type Worker } from 'node:cluster';
import { PlumbError } from '../../core/errors.ts';
import type { PlumbConfig } from '../../config/schema.ts';

/** Set in each worker's environment: its slot, 0-based (a restarted worker keeps its slot). */
export const WORKER_INDEX_ENV = 'PLUMB_WORKER_INDEX';
/** Set in a worker's environment on the first start of slot 0 only: it prints the banner. */
export const WORKER_BANNER_ENV = 'PLUMB_WORKER_BANNER';
/** What a worker sends the primary once it serves. */
export const WORKER_READY_MESSAGE = 'plumb-worker-ready';

/** Refuses settings that would be wrong with several workers; says what to change. */
export function checkWorkersCanShare(config: PlumbConfig): void {
  const problems: string[] = [];
  const { limits, budgets } = config;
  if (limits.backend === 'memory' && (Object.keys(limits.tenants).length > 0 || Object.keys(limits.providers).length > 0)) {
    problems.push('rate limits count in memory (limits.backend), so each worker would allow the whole limit again');
  }
  if (budgets.backend === 'memory' && Object.keys(budgets.tenants).length > 0) {
    problems.push('budgets are kept in memory (budgets.backend), so each worker would let a tenant spend the whole budget again');
  }
  if (problems.length > 0) {
    throw new PlumbError('invalid_config', `server.workers is ${config.server.workers}, but ${problems.join('; and ')}`, {
      hint: 'set the backend to { redis: redis://127.0.0.1:6379 } so the workers share one count, or run one worker',
    });
  }
}

/**
 * What the workers' environment must override so they share state: an in-memory cache becomes
 * the SQLite cache file every worker opens. Returns the variables and a line saying so, if any.
 */
export function sharedCacheOverride(config: PlumbConfig): { env: Record<string, string>; notice?: string } {
  if (config.cache.backend !== 'memory' || (!config.cache.exact && config.cache.semantic === 'off')) return { env: {} };
  return {
    env: { PLUMB_CACHE__BACKEND: 'sqlite' },
    notice: `plumb: cache.backend "memory" is one per process; the ${config.server.workers} workers share <dataDir>/cache.db instead\n`,
  };
}

export interface WorkerPoolOptions {
  count: number;
  /** The workers' server.shutdownGraceMs: how long they may take to stop before the primary gives up on them. */
  shutdownGraceMs?: number;
  /** Extra environment for every worker. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

const QUICK_EXIT_MS = 5_000;
const MAX_QUICK_EXITS = 5;

/**
 * Forks `count` workers running this same command, restarts any that exits (with a growing pause
 * when they keep dying at start-up, and gives up after five such exits in a row), and on SIGINT or
 * SIGTERM stops them all and exits. Resolves only through process.exit.
 */
export function runWorkerPool(options: WorkerPoolOptions): void {
  const log = options.log ?? ((line: string) => process.stderr.write(line));
  const workers = new Set<Worker>();
  /** Set once the pool is stopping: the exit code it will leave with. */
  let stoppingWith: number | undefined;
  let quickExits = 0;
  const ready = new Set<number>();

  const start = (index: number, first: boolean): void => {
    const worker = cluster.fork({ ...options.env, [WORKER_INDEX_ENV]: String(index), ...(first && index === 0 ? { [WORKER_BANNER_ENV]: '1' } : {}) });
    const startedAt = Date.now();
    workers.add(worker);
    worker.on('message', (message: unknown) => {
      if (message !== WORKER_READY_MESSAGE || ready.has(index)) return;
      ready.add(index);
      if (ready.size === options.count) log(`plumb: ${options.count} workers ready (pids ${[...workers].map((w) => w.process.pid).join(', ')})\n`);
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stoppingWith !== undefined) {
        if (workers.size === 0) process.exit(stoppingWith);
        return;
      }
      // A worker only exits cleanly when told to stop: Ctrl+C in a terminal signals the primary and
      // every worker at once, and the workers may see it first. Stop the rest rather than replace it.
      if (code === 0 && signal === null) {
        stop(0);
        return;
      }
      quickExits = Date.now() - startedAt < QUICK_EXIT_MS ? quickExits + 1 : 0;
      if (quickExits >= MAX_QUICK_EXITS) {
        log(`plumb: worker ${index} exited ${MAX_QUICK_EXITS} times in a row within ${QUICK_EXIT_MS / 1000} s of starting; stopping (see the errors above)\n`);
        stop(1);
        return;
      }
      log(`plumb: worker ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting another\n`);
      setTimeout(() => stoppingWith === undefined && start(index, false), quickExits === 0 ? 0 : Math.min(5_000, 250 * 2 ** quickExits));
    });
  };

  const stop = (code: number): void => {
    if (stoppingWith !== undefined) return;
    stoppingWith = code;
    if (workers.size === 0) process.exit(code);
    for (const worker of workers) worker.process.kill('SIGTERM');
    // A worker drains its answers under way (shutdownGraceMs), then books their rows (up to 5 s);
    // one that does not stop in time is not waited for forever.
    setTimeout(() => process.exit(code), (options.shutdownGraceMs ?? 10_000) + 10_000).unref();
  };

  for (let index = 0; index < options.count; index++) start(index, true);
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
}
