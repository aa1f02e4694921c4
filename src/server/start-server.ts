/** Serves the API over HTTP; refuses an open (keyless) server on a non-loopback address. */
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { PlumbError } from '../core/errors.ts';
import type { Plumb } from '../plumb.ts';
import { isLoopbackHost } from './auth.ts';
import { createApp } from './create-app.ts';
import { withDirectChatRoute } from './direct-chat-route.ts';
import { closeGracefully } from './graceful-close.ts';

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  open: boolean;
  /**
   * Refuses new connections and closes idle ones; requests under way get `graceMs` to finish
   * (default 0: cut at once), then are cut (graceful-close.ts).
   */
  close(graceMs?: number): Promise<void>;
}

export interface StartServerOptions {
  host?: string;
  port?: number;
}

/** Starts the HTTP server; port 0 picks a free port. */
export async function startServer(plumb: Plumb, options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? plumb.config.server.host;
  const port = options.port ?? plumb.config.server.port;
  const auth = plumb.config.server.auth;
  const loopback = isLoopbackHost(host);
  if (auth === 'open' && !loopback) {
    throw new PlumbError('invalid_config', `server.auth "open" is refused on ${host}: anyone on the network could read and change your data`, {
      hint: 'bind 127.0.0.1, or use auth "auto"/"required" with API keys (`plumb keys create`)',
    });
  }
  const open = auth === 'open' || (auth === 'auto' && loopback);
  const app = createApp(plumb, { open });
  // Chat completions skip Hono (direct-chat-route.ts); everything else is Hono's.
  const directFirst = ((options: ServerOptions, honoListener: RequestListener) =>
    createServer(options, withDirectChatRoute({ plumb, open }, plumb.config.server.maxBodyBytes, honoListener))) as typeof createServer;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port, createServer: directFirst }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PlumbError('unavailable', `port ${port} on ${host} is already in use`, { hint: 'pick another with --port or PORT=…' })
          : error,
      );
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    host: address.address,
    open,
    close: (graceMs = 0) => closeGracefully(server as Server, graceMs),
  };
}
