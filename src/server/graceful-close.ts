/**
 * Closing an HTTP server the way a deploy wants it: new connections are refused at once, idle
 * keep-alive connections are closed (and so is each one that goes idle afterwards), answers under
 * way get up to `graceMs` to finish, and whatever is still open then is cut. A cut request's
 * client-gone signal cancels its upstream call, which still books its ledger row (the gateway's
 * close waits for those rows).
 */
import type { Server } from 'node:http';

/** How often connections that went idle during the grace period are closed. */
const IDLE_SWEEP_MS = 50;

/** Resolves once every connection is gone; `graceMs` 0 cuts requests under way at once. */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = graceMs > 0 ? setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS) : undefined;
    const cut = graceMs > 0 ? setTimeout(() => server.closeAllConnections(), graceMs) : undefined;
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
    if (graceMs <= 0) server.closeAllConnections();
  });
}
