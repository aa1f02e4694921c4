// Load generation for the gateway overhead benchmark: autocannon runs (with per-response
// latencies at sub-millisecond precision) and a time-to-first-token client for streams.
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface Target {
  name: 'direct' | 'node-proxy' | 'plumb' | 'portkey';
  port: number;
  /** Extra request headers (Portkey's provider and custom host). */
  headers: Record<string, string>;
  /** The `model` to ask for; plumb's is a gateway alias. Default gpt-4o-mini. */
  model?: string;
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  rps: number;
  requests: number;
  errors: number;
  non2xx: number;
  latencyMs: LatencySummary;
}

const PATH = '/v1/chat/completions';
const MESSAGES = [
  { role: 'system', content: 'You answer in one short sentence.' },
  { role: 'user', content: 'How much latency does a gateway add in front of a model?' },
];

/** The request body every target gets; streams ask for the usage chunk, as plumb's provider does. */
export function chatBody(stream: boolean, model = 'gpt-4o-mini'): string {
  return JSON.stringify({ model, messages: MESSAGES, max_tokens: 64, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });
}

/** What makes Portkey forward to the stub: provider openai at a custom host (the stub's …/v1). */
export function portkeyHeaders(upstream: string): Record<string, string> {
  return { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstream };
}

export function headersFor(target: Target): Record<string, string> {
  return { 'content-type': 'application/json', authorization: 'Bearer sk-bench', ...target.headers };
}

/** autocannon for `durationS` seconds at `connections`, keeping every response's latency. */
export function cannon(target: Target, stream: boolean, connections: number, durationS: number): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `http://127.0.0.1:${target.port}${PATH}`, method: 'POST', headers: headersFor(target), body: chatBody(stream, target.model), connections, duration: durationS, pipelining: 1, timeout: 10 },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          rps: result['2xx'] / (result.duration || durationS),
          requests: result['2xx'] + result.non2xx,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          latencyMs: summarise(latencies),
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
  });
}

export interface TtftResult {
  requests: number;
  /** Until the first SSE event carrying text. */
  ttftMs: LatencySummary;
  /** Until the end of the stream. */
  totalMs: LatencySummary;
  sawDone: number;
}

/** `count` streamed requests one after another over one keep-alive connection. */
export async function timeToFirstToken(target: Target, count: number): Promise<TtftResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ttft: number[] = [];
  const total: number[] = [];
  let sawDone = 0;
  try {
    for (let i = 0; i < count; i++) {
      const r = await oneStream(target, agent);
      ttft.push(r.ttftMs);
      total.push(r.totalMs);
      if (r.done) sawDone++;
    }
  } finally {
    agent.destroy();
  }
  return { requests: count, ttftMs: summarise(ttft), totalMs: summarise(total), sawDone };
}

function oneStream(target: Target, agent: Agent): Promise<{ ttftMs: number; totalMs: number; done: boolean }> {
  const body = chatBody(true, target.model);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ttftMs = Number.NaN;
    let text = '';
    const req = httpRequest({ host: '127.0.0.1', port: target.port, path: PATH, method: 'POST', agent, headers: { ...headersFor(target), 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (part: string) => {
        text += part;
        if (Number.isNaN(ttftMs) && /"content":"[^"]/.test(text)) ttftMs = performance.now() - t0;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${target.name} answered ${res.statusCode}: ${text.slice(0, 200)}`));
        resolve({ ttftMs, totalMs: performance.now() - t0, done: text.includes('data: [DONE]') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function summarise(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { mean: round3(mean), p50: round3(at(0.5)), p90: round3(at(0.9)), p99: round3(at(0.99)), max: round3(sorted[sorted.length - 1] ?? Number.NaN) };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
