/**
 * Crash-test writer: opens the store at argv[2] and writes (and rewrites) documents in a tight
 * loop until it is killed. Prints "ready" once some documents are committed, so the test knows
 * it is killing a process in the middle of its write loop.
 */
import { sha256 } from '../../../core/hash.ts';
import type { NewChunk, NewDocument } from '../../../core/document.ts';
import { SqliteStore } from '../sqlite-store.ts';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: write-until-killed.ts <db path>');
const store = SqliteStore.open({ path: dbPath });
const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(6);

/** Every chunk names its document's generation, so a mix of two writes would be visible. */
function build(docId: string, generation: number): { document: NewDocument; chunks: NewChunk[] } {
  const chunkCount = 5 + ((generation * 7 + docId.length) % 60);
  const chunks = Array.from({ length: chunkCount }, (_, ordinal): NewChunk => {
    const text = `${docId} generation ${generation} chunk ${ordinal} ${filler}`;
    return {
      id: sha256(`${docId}:${generation}:${ordinal}`).slice(0, 24),
      documentId: docId, ordinal, text, headingPath: [], charStart: 0, charEnd: text.length, tokenCount: 60,
      contentHash: sha256(text), metadata: { generation },
      vector: new Float32Array(64).fill(generation),
    };
  });
  return {
    document: {
      id: docId, source: `crash/${docId}`, title: docId, mimeType: 'text/plain', contentHash: sha256(`${docId}:${generation}`),
      metadata: { generation }, charCount: 1000, tokenCount: 60 * chunkCount,
    },
    chunks,
  };
}

let generation = 0;
for (;;) {
  generation += 1;
  // Alternate new documents with rewrites of earlier ones, so both insert and replace get killed.
  const docId = generation % 3 === 0 ? `doc-${generation % 17}` : `doc-${generation}`;
  const { document, chunks } = build(docId, generation);
  await store.putDocument(process.argv[3] ?? 'crash-tenant', document, chunks, 'crash-model');
  if (generation === 20) process.stdout.write('ready\n');
}
