// Portkey's open-source gateway (npm @portkey-ai/gateway, installed in bench/peers), started as
// its own CLI would (`start-server.js --headless`). Its server calls listen(port) with no host,
// which binds every interface; listen is wrapped here so it binds 127.0.0.1 only (run.ts checks
// the socket with `ss`). Port 0 gives a free port, reported to the parent over IPC.
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PEERS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'peers');
const ENTRY = join(PEERS, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args[1] === undefined || typeof args[1] === 'function')) {
    const callback = args.find((a) => typeof a === 'function');
    args = [args[0], '127.0.0.1', ...(callback ? [callback] : [])];
  }
  this.once('listening', () => process.send?.({ type: 'ready', port: this.address().port }));
  return listen.apply(this, args);
};

process.argv.push('--port=0', '--headless');
process.on('disconnect', () => process.exit(0));
await import(pathToFileURL(ENTRY).href);
