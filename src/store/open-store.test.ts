import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './index.ts';

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-'));
afterAll(() => fs.rmSync(tempRoot, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens a SQLite file from a plain path and from sqlite:<path>', async () => {
    for (const url of [path.join(tempRoot, 'a.db'), `sqlite:${path.join(tempRoot, 'b.db')}`, `sqlite://${path.join(tempRoot, 'c.db')}`]) {
      const store = await openStore(url);
      expect(store.kind).toBe('sqlite');
      await store.close();
    }
    expect(fs.readdirSync(tempRoot).filter((f) => f.endsWith('.db')).sort()).toEqual(['a.db', 'b.db', 'c.db']);
  });

  it('opens an in-memory store', async () => {
    const store = await openStore('sqlite::memory:');
    expect(await store.countDocuments('t')).toBe(0);
    await store.close();
  });

  it('says PostgreSQL is not supported yet', async () => {
    await expect(openStore('postgres://u:p@localhost/plumb')).rejects.toMatchObject({ code: 'invalid_config', message: /not yet supported/ });
    await expect(openStore('postgresql://localhost/plumb')).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('rejects unknown schemes and empty URLs', async () => {
    await expect(openStore('mysql://localhost/x')).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(openStore('  ')).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
