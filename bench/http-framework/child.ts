// Child-process entry: starts ONE server (only that framework is loaded, so RSS is comparable),
// reports its port over IPC and answers stats requests (RSS, peak RSS, CPU time) from the parent.
import { resourceUsage } from 'node:process';

export type Framework = 'node-http' | 'hono' | 'hono-bodylimit' | 'fastify';

export type ChildMessage =
  | { type: 'ready'; port: number; pid: number; startupMs: number }
  | { type: 'stats'; id: number; rss: number; heapUsed: number; maxRss: number; cpuUserUs: number; cpuSystemUs: number };

export type ParentMessage = { type: 'stats'; id: number };

const t0 = performance.now();
const framework = process.argv[2] as Framework;

async function load(name: Framework): Promise<{ start: () => Promise<number> }> {
  switch (name) {
    case 'node-http':
      return import('./servers/node-http.ts');
    case 'hono': {
      const m = await import('./servers/hono.ts');
      return { start: () => m.start('header-first') };
    }
    case 'hono-bodylimit': {
      const m = await import('./servers/hono.ts');
      return { start: () => m.start('builtin') };
    }
    case 'fastify':
      return import('./servers/fastify.ts');
    default:
      throw new Error(`unknown framework ${String(name)}`);
  }
}

function reply(msg: ChildMessage): void {
  process.send?.(msg);
}

const { start } = await load(framework);
const port = await start();

process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'stats') {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    reply({
      type: 'stats',
      id: msg.id,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      maxRss: resourceUsage().maxRSS * 1024,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
    });
  }
});
process.on('disconnect', () => process.exit(0));

reply({ type: 'ready', port, pid: process.pid, startupMs: Math.round(performance.now() - t0) });
