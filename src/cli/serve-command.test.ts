import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startOpenAIWireServer } from '../providers/testing/index.ts';
import { startOtlpCollector, type OtlpCollector } from '../testing/otlp-collector.ts';
import { awaitServeBanner } from '../testing/served-cli.ts';
import { tempDir } from '../testing/temp-plumb.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));

describe('plumb serve', { timeout: 60_000 }, () => {
  let collector: OtlpCollector;
  const traceIds = () => collector.spans().map((span) => span.traceId);

  beforeAll(async () => {
    collector = await startOtlpCollector();
  });

  afterAll(async () => {
    await collector.close();
  });

  it('serves on loopback, says where traces go, answers, and on SIGTERM stops cleanly having sent its traces', async () => {
    const env = {
      ...process.env,
      PLUMB_EMBEDDINGS__PROVIDER: 'none',
      // Long enough that only the shutdown can have sent the trace.
      PLUMB_TRACING__OTLP__DELAY_MS: '60000',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl,
    };
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', tempDir()], { cwd: tempDir(), env });
    // A failed assertion must not leave the server running.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const { url, stdout, exited } = await awaitServeBanner(child);
    expect(stdout).toMatch(/traces:\s+stored, and sent to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(OTLP\)/);

    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; traceExport: { exportedSpans: number } };
    expect(health.status).toBe('ok');
    const answer = (await (await fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Which port?' }) })).json()) as { traceId: string };
    expect(answer.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIds()).not.toContain(answer.traceId);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(traceIds()).toContain(answer.traceId);
  });

  it('on SIGTERM lets a stream under way finish before it exits', async () => {
    const upstream = await startOpenAIWireServer(() => ({ type: 'chat', text: 'one two three four five six seven eight', delayMs: 60 }));
    onTestFinished(() => upstream.close());
    const cwd = tempDir();
    writeFileSync(join(cwd, 'plumb.config.json'), JSON.stringify({ gateway: { providers: { up: { type: 'openai-compatible', baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { smart: { provider: 'up', model: 'm' } } } }));
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', tempDir()], { cwd, env: { ...process.env, PLUMB_EMBEDDINGS__PROVIDER: 'none' } });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (part: Buffer) => (stderr += part.toString('utf8')));
    const { url, exited } = await awaitServeBanner(child);
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'slowly, please' }] }) });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    child.kill('SIGTERM');
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('data: [DONE]');
    expect(text.match(/"content":"[^"]+"/g)?.length).toBe(8);
    expect(await exited).toBe(0);
    expect(stderr).toContain('answers under way get up to 10 s to finish');
  });
});
