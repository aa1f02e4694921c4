import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plumb } from '../plumb.ts';
import { SAMPLE_DOCS, tempPlumb } from '../testing/temp-plumb.ts';
import { startServer, type RunningServer } from './start-server.ts';

let plumb: Plumb;
let server: RunningServer;

beforeAll(async () => {
  ({ plumb } = await tempPlumb({ server: { maxBodyBytes: 64 * 1024 } }));
  server = await startServer(plumb, { port: 0 });
});
afterAll(async () => {
  await server.close();
  await plumb.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Reads an SSE response into [event, data] pairs. */
async function readSse(res: Response): Promise<Array<{ event: string; data: unknown }>> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}

describe('HTTP API over real HTTP', () => {
  it('binds loopback and answers /healthz', async () => {
    expect(server.host).toBe('127.0.0.1');
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: 'sqlite' });
  });

  it('adds documents as JSON and lists, gets and deletes them', async () => {
    const res = await post('/v1/documents', { documents: SAMPLE_DOCS });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { documentIds: string[]; report: { documents: { inserted: number } } };
    expect(body.documentIds).toEqual(['ports', 'keys', 'chunking']);
    expect(body.report.documents.inserted).toBe(3);

    const again = (await (await post('/v1/documents', SAMPLE_DOCS[0])).json()) as { report: { documents: { unchanged: number } } };
    expect(again.report.documents.unchanged).toBe(1);

    const list = (await (await fetch(`${server.url}/v1/documents`)).json()) as { total: number; documents: Array<{ id: string }> };
    expect(list.total).toBe(3);

    const one = (await (await fetch(`${server.url}/v1/documents/keys`)).json()) as { document: { title: string }; chunks: Array<{ text: string }> };
    expect(one.document.title).toBe('API keys');
    expect(one.chunks.map((c) => c.text).join(' ')).toContain('SHA-256');

    await post('/v1/documents', { id: 'temp', text: 'A temporary note about zebras.' });
    const del = await fetch(`${server.url}/v1/documents/temp`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { deleted: boolean }).deleted).toBe(true);
    const gone = await fetch(`${server.url}/v1/documents/temp`);
    expect(gone.status).toBe(404);
    const retrieved = (await (await post('/v1/retrieve', { query: 'zebras', mode: 'bm25' })).json()) as { chunks: unknown[] };
    expect(retrieved.chunks).toHaveLength(0);
  });

  it('uploads a file as multipart/form-data', async () => {
    const form = new FormData();
    form.append('file', new Blob(['# Backups\n\nBackups run nightly at 02:00 and are kept for 30 days.'], { type: 'text/markdown' }), 'backups.md');
    const res = await fetch(`${server.url}/v1/documents`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { documentIds: string[] }).documentIds[0]!;
    const doc = (await (await fetch(`${server.url}/v1/documents/${id}`)).json()) as { document: { source: string; title: string } };
    expect(doc.document.source).toBe('upload:backups.md');
    expect(doc.document.title).toBe('Backups');
  });

  it('rejects an unsupported upload with 415 and a reason', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([0, 1, 2, 3])]), 'blob.exe');
    const res = await fetch(`${server.url}/v1/documents`, { method: 'POST', body: form });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_file');
  });

  it('retrieves ranked chunks with citation fields', async () => {
    const res = await post('/v1/retrieve', { query: 'how do I change the port', k: 2 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { chunks: Array<{ documentId: string; charStart: number; charEnd: number; rank: number }>; traceId: string };
    expect(body.chunks[0]!.documentId).toBe('ports');
    expect(body.chunks[0]!.rank).toBe(1);
    expect(body.chunks.length).toBeLessThanOrEqual(2);
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('filters retrieval by document id, source prefix and metadata', async () => {
    await post('/v1/documents', { documents: [
      { id: 'en-1', text: 'Refunds are processed within five days.', source: 'kb/en/refunds.md', metadata: { lang: 'en' } },
      { id: 'fr-1', text: 'Refunds are processed within five days, says the French team.', source: 'kb/fr/refunds.md', metadata: { lang: 'fr' } },
    ] });
    const ids = async (filter: object) =>
      ((await (await post('/v1/retrieve', { query: 'refunds processed', mode: 'bm25', filter })).json()) as { chunks: Array<{ documentId: string }> }).chunks.map((c) => c.documentId);
    expect(await ids({})).toEqual(expect.arrayContaining(['en-1', 'fr-1']));
    expect(await ids({ metadata: { lang: 'fr' } })).toEqual(['fr-1']);
    expect(await ids({ sourcePrefix: 'kb/en/' })).toEqual(['en-1']);
    expect(await ids({ documentIds: ['fr-1'] })).toEqual(['fr-1']);
    expect(await ids({ metadata: { lang: ['en', 'fr'] }, documentIds: ['en-1'] })).toEqual(['en-1']);
  });

  it('answers with citations, usage and a stored trace', async () => {
    const res = await post('/v1/query', { question: 'How are API keys stored?' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      answer: { text: string; citations: Array<{ documentId: string; chunkId: string }>; usage: { inputTokens: number; outputTokens: number } };
      traceId: string;
    };
    expect(body.answer.text).toContain('SHA-256');
    expect(body.answer.citations[0]!.documentId).toBe('keys');
    expect(body.answer.usage.inputTokens).toBeGreaterThan(0);
    expect(body.answer.usage.outputTokens).toBeGreaterThan(0);

    const trace = (await (await fetch(`${server.url}/v1/traces/${body.traceId}`)).json()) as { spans: Array<{ name: string; attributes: Record<string, unknown> }> };
    const names = trace.spans.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['rag.query', 'retrieve', 'generate']));
    const generate = trace.spans.find((s) => s.name === 'generate')!;
    expect(generate.attributes['gen_ai.operation.name']).toBe('chat');
    expect(generate.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });

  it('streams an answer as server-sent events', async () => {
    const res = await post('/v1/query', { question: 'What is the default port?', stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    expect(events[0]!.event).toBe('retrieval');
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const answer = (done.data as { answer: { text: string } }).answer;
    expect(deltas.join('')).toBe(answer.text);
    expect(answer.text).toContain('8787');
  });

  it('answers 400 with the bad field for invalid input', async () => {
    const res = await post('/v1/retrieve', { query: '', k: 1000 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('query');
    expect(body.error.message).toContain('k');

    const notJson = await post('/v1/query', '{"question":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post('/v1/documents', { text: 'x'.repeat(100 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('answers 404 in the one error shape for unknown routes and ids', async () => {
    const res = await fetch(`${server.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${server.url}/v1/traces/ffff`)).status).toBe(404);
  });

  it('serves the web page and an OpenAPI document', async () => {
    const page = await fetch(`${server.url}/`);
    expect(await page.text()).toContain('/v1/query');
    const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/documents', '/v1/retrieve', '/v1/query', '/v1/chat/completions', '/v1/embeddings', '/v1/traces/{id}']));
  });
});

describe('body limit on chunked uploads', () => {
  it('answers 413 when a body without Content-Length grows past the limit', async () => {
    const big = new TextEncoder().encode(JSON.stringify({ text: 'y'.repeat(100 * 1024) }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 8192) controller.enqueue(big.slice(i, i + 8192));
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });
});
