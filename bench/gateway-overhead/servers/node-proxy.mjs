// The floor for any Node.js gateway: a bare node:http server that reads the request body and
// forwards it to the stub over a keep-alive node:http agent, piping the answer (JSON or SSE)
// back unchanged. No parsing, auth, ledger or resilience: what is left is the cost of one HTTP
// hop in and one out in this runtime, so plumb's and Portkey's overheads can be read against it.
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.env.STUB_URL ?? '');
if (!upstream.port) throw new Error('STUB_URL is not set');
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: `${upstream.pathname}/chat/completions`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502).end();
    });
    forward.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: server.address().port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
