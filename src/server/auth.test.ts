import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plumb } from '../plumb.ts';
import { tempPlumb } from '../testing/temp-plumb.ts';
import { startServer, type RunningServer } from './start-server.ts';

describe('API keys and tenants', () => {
  let plumb: Plumb;
  let server: RunningServer;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    ({ plumb } = await tempPlumb({ server: { auth: 'required' }, embeddings: { provider: 'none' } }));
    server = await startServer(plumb, { port: 0 });
    keyA = (await plumb.createApiKey('acme')).key;
    keyB = (await plumb.createApiKey('globex')).key;
  });
  afterAll(async () => {
    await server.close();
    await plumb.close();
  });

  const call = (path: string, key: string | null, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('stores only the hash of a key', async () => {
    const keys = await plumb.store.listApiKeys('acme');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(keys)).not.toContain(keyA);
  });

  it('refuses requests without a key or with a wrong one', async () => {
    const none = await call('/v1/documents', null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { hint: string } }).error.hint).toContain('plumb keys create');
    expect((await call('/v1/documents', 'plumb_wrong')).status).toBe(401);
    // Health stays open for load balancers.
    expect((await call('/healthz', null)).status).toBe(200);
  });

  it('scopes every read and write to the key’s tenant', async () => {
    expect((await call('/v1/documents', keyA, { id: 'secret', text: 'The acme launch code is 4417.' })).status).toBe(201);
    const asB = (await (await call('/v1/retrieve', keyB, { query: 'acme launch code' })).json()) as { chunks: unknown[] };
    expect(asB.chunks).toHaveLength(0);
    expect((await call('/v1/documents/secret', keyB)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/documents/secret`, { method: 'DELETE', headers: { authorization: `Bearer ${keyB}` } })).status).toBe(404);
    const asA = (await (await call('/v1/retrieve', keyA, { query: 'acme launch code' })).json()) as { chunks: Array<{ documentId: string }> };
    expect(asA.chunks[0]!.documentId).toBe('secret');
  });

  it('a key revoked in this process stops working at once', async () => {
    const { key, record } = await plumb.createApiKey('acme', 'temp');
    expect((await call('/v1/documents', key)).status).toBe(200);
    expect(await plumb.revokeApiKey('acme', record.id)).toBe(true);
    expect((await call('/v1/documents', key)).status).toBe(401);
  });

  it('a key revoked by another process stops working within server.apiKeyCacheMs', async () => {
    const { key, record } = await plumb.createApiKey('acme', 'elsewhere');
    expect((await call('/v1/documents', key)).status).toBe(200);
    // Straight to the store, as the CLI or another replica would: this process still remembers the key.
    await plumb.store.revokeApiKey('acme', record.id);
    expect((await call('/v1/documents', key)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, plumb.config.server.apiKeyCacheMs + 50));
    expect((await call('/v1/documents', key)).status).toBe(401);
  });
});

describe('open local mode', () => {
  it('is refused on a non-loopback address', async () => {
    const { plumb } = await tempPlumb({ server: { auth: 'open', host: '0.0.0.0' }, embeddings: { provider: 'none' } });
    await expect(startServer(plumb, { port: 0 })).rejects.toThrow(/refused on 0\.0\.0\.0/);
    await plumb.close();
  });

  it('auto mode requires keys when bound beyond loopback', async () => {
    const { plumb } = await tempPlumb({ server: { host: '0.0.0.0' }, embeddings: { provider: 'none' } });
    const server = await startServer(plumb, { port: 0 });
    try {
      expect(server.open).toBe(false);
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/documents`);
      expect(res.status).toBe(401);
    } finally {
      await server.close();
      await plumb.close();
    }
  });
});
