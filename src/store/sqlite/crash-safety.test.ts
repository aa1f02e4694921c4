import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const writer = path.join(import.meta.dirname, 'test-fixtures', 'write-until-killed.ts');
const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
afterAll(() => fs.rmSync(tempRoot, { recursive: true, force: true }));

/** Starts the writer, waits until it has committed some documents, lets it run `ms` more, SIGKILLs it. */
async function writeThenKill(dbPath: string, ms: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dbPath], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) resolve();
    });
    child.on('exit', () => reject(new Error(`writer exited before it was ready: ${stderr}`)));
  });
  await ready;
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  return exited;
}

describe('SqliteStore crash safety', () => {
  it('leaves only whole documents after the writer is SIGKILLed mid-loop', async () => {
    const dbPath = path.join(tempRoot, 'crash.db');
    expect(await writeThenKill(dbPath, 120)).toBe('SIGKILL');
    expect(await writeThenKill(dbPath, 37)).toBe('SIGKILL');

    const store = SqliteStore.open({ path: dbPath });
    const db = store.db;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);

    const documents = db
      .prepare(
        `SELECT d.id, d.chunk_count, json_extract(d.metadata, '$.generation') AS generation,
           (SELECT count(*) FROM chunks c WHERE c.tenant_id = d.tenant_id AND c.document_id = d.id) AS stored_chunks,
           (SELECT count(*) FROM chunks c WHERE c.tenant_id = d.tenant_id AND c.document_id = d.id
              AND json_extract(c.metadata, '$.generation') = json_extract(d.metadata, '$.generation')) AS same_generation
         FROM documents d`,
      )
      .all() as Array<{ id: string; chunk_count: number; generation: number; stored_chunks: number; same_generation: number }>;
    expect(documents.length).toBeGreaterThan(20);
    for (const doc of documents) {
      expect({ id: doc.id, chunks: doc.stored_chunks, sameGeneration: doc.same_generation }).toEqual({
        id: doc.id,
        chunks: doc.chunk_count,
        sameGeneration: doc.chunk_count,
      });
    }
    const totalChunks = db.prepare('SELECT count(*) FROM chunks').pluck().get();
    expect(db.prepare('SELECT count(*) FROM chunks_fts').pluck().get()).toBe(totalChunks);
    expect(db.prepare('SELECT count(*) FROM chunk_vectors').pluck().get()).toBe(totalChunks);
    await store.close();
  });
});
