// The upstream every target forwards to: a minimal node:http server answering OpenAI chat
// completions at once, as JSON or as an SSE stream (with the usage chunk when asked for), so
// what is measured is the gateway in between, not a model. Plain JavaScript, so it runs without a
// TypeScript loader (every server here does: none pays for one).
import { createServer } from 'node:http';

const BASE_WORDS = ['The', ' gateway', ' adds', ' almost', ' nothing', '.'];
// STUB_WORDS=N streams N deltas instead of 6 (a long answer: what a gateway pays per chunk).
const WORDS = Array.from({ length: Number(process.env.STUB_WORDS ?? BASE_WORDS.length) }, (_, i) => BASE_WORDS[i % BASE_WORDS.length]);
const USAGE = {
  prompt_tokens: 24,
  completion_tokens: WORDS.length,
  total_tokens: 24 + WORDS.length,
  prompt_tokens_details: { cached_tokens: 16, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
};

function jsonBody(model) {
  return JSON.stringify({
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: WORDS.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: USAGE,
  });
}

function sseBody(model, includeUsage) {
  const chunk = (choices, usage = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices, ...(includeUsage ? { usage } : {}) })}\n\n`;
  const delta = (d, finish = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  let out = delta({ role: 'assistant', content: '' });
  for (const word of WORDS) out += delta({ content: word });
  out += delta({}, 'stop');
  if (includeUsage) out += chunk([], USAGE);
  return `${out}data: [DONE]\n\n`;
}

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const model = body.model ?? 'stub-model';
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }).end(sseBody(model, body.stream_options?.include_usage === true));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jsonBody(model));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
