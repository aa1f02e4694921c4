import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Real providers are all HTTPS: the transport must do TLS (with the name checked), decompress, and
// refuse a certificate nobody vouches for. The client runs in a child process so that
// NODE_EXTRA_CA_CERTS can make it trust this test's self-signed certificate (valid until 2126).
const TLS = (file: string) => fileURLToPath(new URL(`../testing/tls/${file}`, import.meta.url));
const CLIENT = TLS('post-over-https.ts');
const run = promisify(execFile);

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer({ key: fs.readFileSync(TLS('localhost-key.pem')), cert: fs.readFileSync(TLS('localhost-cert.pem')) }, (req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (part: string) => (body += part));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ received: body, path: req.url })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(url: string, trust: boolean): Promise<{ status?: number; body?: string; error?: string }> {
  const env = { ...process.env, ...(trust ? { NODE_EXTRA_CA_CERTS: TLS('localhost-cert.pem') } : {}) };
  if (!trust) delete env['NODE_EXTRA_CA_CERTS'];
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CLIENT, url], { env });
  return JSON.parse(stdout.trim()) as { status?: number; body?: string; error?: string };
}

describe('the provider transport over HTTPS', { timeout: 30_000 }, () => {
  it('posts over TLS to a trusted server by name and by address, and decompresses the answer', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const started = performance.now();
      const result = await post(`https://${host}:${port}/v1/chat/completions?x=1`, true);
      // The kept-alive connection back in the pool does not hold a finished process (a CLI command) open.
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body!)).toEqual({ received: JSON.stringify({ question: 'über TLS?' }), path: '/v1/chat/completions?x=1' });
    }
  });

  it('refuses a certificate nobody vouches for', async () => {
    const result = await post(`https://localhost:${port}/v1/chat/completions`, false);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
