// CPU per call of the two HTTP clients plumb could send provider requests with: node:http with a
// keep-alive Agent (plumb's transport until 2026-11-26) and undici's request() over its pool (the
// transport since). One process sends a chat-completion-sized JSON POST to an upstream in a child
// process and reads the JSON answer; client CPU (user + system) per call, sequentially and with
// 10 calls in flight, two rounds, after 2,000 warm-up calls each.
//   npx tsx bench/gateway-overhead/client-cost.ts [calls=20000]
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const calls = Number(process.argv[2] ?? 20_000);

if (process.argv[2] === 'upstream') {
  const answer = JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'The gateway adds almost nothing.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 } });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on('disconnect', () => process.exit(0));
} else {
  const child = fork(fileURLToPath(import.meta.url), ['upstream'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.on('message', (m: { port: number }) => resolve(m.port)));
  const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'How much latency does a gateway add?' }], max_tokens: 64 });
  const headers = { 'content-type': 'application/json', authorization: 'Bearer x' };
  const agent = new http.Agent({ keepAlive: true });
  const viaNodeHttp = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const pool = new Pool(`http://127.0.0.1:${port}`);
  const viaUndici = async (): Promise<unknown> => {
    const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers, body });
    return res.body.json();
  };
  const measure = async (name: string, call: () => Promise<unknown>, inFlight: number): Promise<void> => {
    for (let i = 0; i < 2_000; i++) await call();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let sent = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (sent < calls) {
        sent++;
        await call();
      }
    }));
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    console.log(`${name.padEnd(9)} ${String(inFlight).padStart(2)} in flight: ${((used.user + used.system) / calls).toFixed(1)} µs CPU/call, ${(calls / seconds).toFixed(0)} calls/s`);
  };
  for (let round = 1; round <= 2; round++) {
    for (const inFlight of [1, 10]) {
      await measure('node:http', viaNodeHttp, inFlight);
      await measure('undici', viaUndici, inFlight);
    }
  }
  agent.destroy();
  await pool.close();
  child.disconnect();
}
