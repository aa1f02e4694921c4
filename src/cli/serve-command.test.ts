import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-plumb.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));

describe('plumb serve', { timeout: 60_000 }, () => {
  const traceIds: string[] = [];
  let collector: Server;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }> };
        for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) traceIds.push(span.traceId);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it('serves on loopback, says where traces go, answers, and on SIGTERM stops cleanly having sent its traces', async () => {
    const env = {
      ...process.env,
      PLUMB_EMBEDDINGS__PROVIDER: 'none',
      // Long enough that only the shutdown can have sent the trace.
      PLUMB_TRACING__OTLP__DELAY_MS: '60000',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    };
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', tempDir()], { cwd: tempDir(), env });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const found = /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(stdout);
        if (found && stdout.includes('Press Ctrl+C')) resolve(found[1]!);
      });
      void exited.then((code) => reject(new Error(`plumb serve exited (${code}) before it was ready: ${stderr}`)));
    });
    expect(stdout).toMatch(/traces:\s+stored, and sent to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(OTLP\)/);

    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; traceExport: { exportedSpans: number } };
    expect(health.status).toBe('ok');
    const answer = (await (await fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Which port?' }) })).json()) as { traceId: string };
    expect(answer.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIds).not.toContain(answer.traceId);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(traceIds).toContain(answer.traceId);
  });
});
