/**
 * Measures SqliteStore write and read throughput on a temp file:
 *   node --import tsx src/store/sqlite/scripts/measure-put-documents.ts [documents] [chunksPerDocument] [dims]
 * Prints one JSON line; not run by the test suite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256 } from '../../../core/hash.ts';
import type { NewChunk } from '../../../core/document.ts';
import { SqliteStore } from '../sqlite-store.ts';

const documents = Number(process.argv[2] ?? 5000);
const chunksPerDocument = Number(process.argv[3] ?? 2);
const dims = Number(process.argv[4] ?? 0);
const words = ['retrieval', 'vector', 'index', 'sqlite', 'tenant', 'chunk', 'embedding', 'query', 'answer', 'citation'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-measure-'));
const store = SqliteStore.open({ path: path.join(dir, 'plumb.db') });
const tenant = 'bench';

function chunkText(doc: number, ordinal: number): string {
  return Array.from({ length: 120 }, (_, i) => words[(doc * 31 + ordinal * 7 + i * 13) % words.length]).join(' ') + ` d${doc}c${ordinal}`;
}

const started = performance.now();
for (let d = 0; d < documents; d++) {
  const id = `doc-${d}`;
  const chunks = Array.from({ length: chunksPerDocument }, (_, ordinal): NewChunk => {
    const text = chunkText(d, ordinal);
    const chunk: NewChunk = {
      id: `${id}-${ordinal}`, documentId: id, ordinal, text, headingPath: ['Bench'], charStart: 0, charEnd: text.length,
      tokenCount: 121, contentHash: sha256(text), metadata: {},
    };
    if (dims > 0) chunk.vector = new Float32Array(dims).fill(d % 7);
    return chunk;
  });
  await store.putDocument(tenant, {
    id, source: `bench/${id}.txt`, title: `Document ${d}`, mimeType: 'text/plain', contentHash: sha256(chunks.map((c) => c.text).join()),
    metadata: {}, charCount: 1000, tokenCount: 121 * chunksPerDocument,
  }, chunks, dims > 0 ? 'bench-model' : undefined);
}
const putMs = performance.now() - started;

const scanStarted = performance.now();
let scanned = 0;
let cursor: string | null = null;
do {
  const page = await store.scanChunks(tenant, { cursor });
  scanned += page.chunks.length;
  cursor = page.nextCursor;
} while (cursor !== null);
const scanMs = performance.now() - scanStarted;

const searchStarted = performance.now();
const searches = 200;
for (let i = 0; i < searches; i++) await store.keywordSearch(tenant, `${words[i % words.length]} citation d${i}c1`, 10);
const searchMs = (performance.now() - searchStarted) / searches;

console.log(JSON.stringify({
  documents, chunksPerDocument, dims, chunks: scanned,
  putDocumentTotalMs: Math.round(putMs), putDocumentPerDocMs: +(putMs / documents).toFixed(3),
  scanAllChunksMs: Math.round(scanMs), keywordSearchAvgMs: +searchMs.toFixed(2),
  dbBytes: fs.statSync(path.join(dir, 'plumb.db')).size,
}));
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
