// Each server of the benchmark runs in its own child process; the parent only generates load.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../../bin/build-state.js';

const SERVERS = join(dirname(fileURLToPath(import.meta.url)), 'servers');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** plumb is measured as `plumb serve` runs it, compiled (dist/): builds it first when src/ is newer. */
export function ensureBuild(): void {
  if (buildIsCurrent(ROOT)) return;
  process.stderr.write('dist/ is older than src/: building it (npm run build)\n');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed; see above');
}

export interface ServerProcess {
  name: string;
  port: number;
  pid: number;
  startupMs: number;
  stop(): Promise<void>;
}

/** Forks `servers/<file>` (plain JavaScript, no loader) and waits for its `{ type: 'ready', port }` message. */
export async function startServer(name: string, file: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const t0 = performance.now();
  const child: ChildProcess = fork(join(SERVERS, file), [], {
    // Plain JavaScript: no TypeScript loader in any measured process.
    execArgv: [],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    // Portkey clears the screen and draws a spinner on stdout; keep stderr for real failures.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited before it was ready (code ${code})`)));
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready' && typeof m.port === 'number') resolve(m.port);
    });
  });
  return {
    name,
    port,
    pid: child.pid!,
    startupMs: Math.round(performance.now() - t0),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.disconnect();
      }),
  };
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memoryOf(pid: number): { rssMB: number; peakRssMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** CPU time a process has used so far, in microseconds (Linux /proc, clock ticks of 10 ms). */
export function cpuMicrosOf(pid: number): number {
  return ticksToMicros(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU time of a process's main thread alone (the one running its event loop), in microseconds:
 * what bounds a Node server's requests per second, where cpuMicrosOf also counts GC helpers, the
 * JIT's compiler threads and any worker threads.
 */
export function mainThreadCpuMicrosOf(pid: number): number {
  return ticksToMicros(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
}

function ticksToMicros(stat: string): number {
  const fields = stat.split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * Pins every thread of `pid` to one CPU (threads it starts later inherit that): the pinned runs put
 * each gateway alone on CPU 0 and the stub and the load generator on CPU 1.
 */
export function pinTo(cpu: number, pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** The local addresses `pid` listens on, from `ss -ltnp` (e.g. ["127.0.0.1:43121"]). */
export function listeningAddresses(pid: number): string[] {
  const out = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3] ?? '');
}
