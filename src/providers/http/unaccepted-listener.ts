/**
 * For tests: a TCP port on 127.0.0.1 where a new connection never completes, as behind a firewall
 * that drops packets or at a host that went down. Non-routable addresses do not reliably hang (a
 * sandbox or proxy may answer them), so this fills the accept queue of a real listener that never
 * accepts: a worker thread listens with a backlog of 1 and then blocks, the queue is filled with
 * connections, and Linux drops the SYN of every further connection, which stays in SYN_SENT.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface UnacceptedListener {
  readonly port: number;
  /** e.g. "http://127.0.0.1:43121" */
  readonly origin: string;
  close(): Promise<void>;
}

// The worker listens, reports its port and blocks (Atomics.wait) before its event loop can accept.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(workerData, 0, 0);
  server.close();
  process.exit(0);
});
`;

/** Starts the listener and fills its queue; connecting to it afterwards hangs until closed. */
export async function startUnacceptedListener(): Promise<UnacceptedListener> {
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { eval: true, workerData: wake });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: number) => resolve(m));
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(wake, 0, 1);
    Atomics.notify(wake, 0);
    await exited;
  };
  // The queue holds backlog + 1 connections; the first one that stays pending proves it full.
  for (let i = 0; i < 16; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return { port, origin: `http://127.0.0.1:${port}`, close };
  }
  await close();
  throw new Error('the listener kept accepting connections; cannot simulate an unanswered connect here');
}
