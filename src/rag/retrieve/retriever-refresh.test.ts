import { afterEach, describe, expect, it } from 'vitest';
import { createPlumb } from '../../app.ts';
import type { Plumb } from '../../plumb.ts';
import { tempDir } from '../../testing/temp-plumb.ts';

/** Two Plumbs on one data directory stand for `plumb serve` and `plumb ingest` in two terminals. */
const open: Plumb[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
async function plumbOn(dataDir: string, refreshIntervalMs?: number): Promise<Plumb> {
  const retrieval = refreshIntervalMs === undefined ? {} : { refreshIntervalMs };
  const plumb = await createPlumb({ config: { dataDir, embeddings: { provider: 'none' }, retrieval }, env: {} });
  open.push(plumb);
  return plumb;
}

describe('a loaded index and writes from another process', () => {
  it('picks up documents another process added or deleted', async () => {
    const dataDir = tempDir();
    const server = await plumbOn(dataDir, 0);
    const cli = await plumbOn(dataDir);
    await server.addDocuments([{ id: 'old', text: 'Otters hold hands while they sleep.' }]);
    expect((await server.retrieve('otters sleep', { mode: 'bm25' })).chunks).toHaveLength(1);

    await cli.addDocuments([{ id: 'new', text: 'Penguins propose with a pebble.' }]);
    const found = await server.retrieve('penguins pebble', { mode: 'bm25' });
    expect(found.chunks.map((c) => c.chunk.documentId)).toEqual(['new']);

    await cli.deleteDocument('old');
    expect((await server.retrieve('otters sleep', { mode: 'bm25' })).chunks).toHaveLength(0);
    // Its own writes still apply at once, without a reload.
    await server.addDocuments([{ id: 'own', text: 'Axolotls regrow their limbs.' }]);
    expect((await server.retrieve('axolotls limbs', { mode: 'bm25' })).chunks).toHaveLength(1);
  });

  it('checks the store at most once per refresh interval', async () => {
    const dataDir = tempDir();
    const server = await plumbOn(dataDir, 60_000);
    const cli = await plumbOn(dataDir);
    await server.addDocuments([{ id: 'a', text: 'Lichens are fungi living with algae.' }]);
    await server.retrieve('lichens', { mode: 'bm25' });
    await cli.addDocuments([{ id: 'b', text: 'Tardigrades survive in space.' }]);
    // Within the interval the loaded index is used as it is.
    expect((await server.retrieve('tardigrades space', { mode: 'bm25' })).chunks).toHaveLength(0);
  });
});
