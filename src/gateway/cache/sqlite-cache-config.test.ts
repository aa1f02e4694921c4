// The SQLite cache backend chosen by configuration: an answer cached by one plumb process is a hit
// for the next one on the same data folder, and never for another tenant.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlumb } from '../../app.ts';
import { startOpenAIWireServer } from '../../providers/testing/index.ts';
import type { OpenAIWireServer } from '../../providers/testing/index.ts';
import { tempDir } from '../../testing/temp-plumb.ts';

let upstream: OpenAIWireServer | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('cache.backend: sqlite', () => {
  it('serves a cached answer after a restart, per tenant', async () => {
    upstream = await startOpenAIWireServer([
      { type: 'chat', text: 'Invoices go out on the first of the month.' },
      { type: 'chat', text: 'Globex gets its own answer.' },
    ]);
    const dataDir = tempDir();
    const config = {
      dataDir,
      embeddings: { provider: 'none' as const },
      gateway: { providers: { up: { type: 'openai-compatible' as const, baseUrl: upstream.baseURL, models: ['m'] } }, aliases: { fast: { provider: 'up', model: 'm' } } },
      cache: { backend: 'sqlite' as const },
    };
    const ask = { messages: [{ role: 'user' as const, content: 'When are invoices sent?' }] };

    const first = await createPlumb({ config, env: {} });
    expect((await first.chat(ask, { model: 'fast', tenantId: 'acme' })).text).toBe('Invoices go out on the first of the month.');
    await first.close();
    expect(existsSync(join(dataDir, 'cache.db'))).toBe(true);

    const second = await createPlumb({ config, env: {} });
    const again = await second.chat(ask, { model: 'fast', tenantId: 'acme' });
    expect(again.text).toBe('Invoices go out on the first of the month.');
    expect(again.metadata?.['cache']).toBe('exact');
    expect((await second.chat(ask, { model: 'fast', tenantId: 'globex' })).text).toBe('Globex gets its own answer.');
    await second.close();
    expect(upstream.requests).toHaveLength(2);
  });

  it('rejects an unknown backend with a message naming the key', async () => {
    await expect(createPlumb({ config: { dataDir: tempDir(), cache: { backend: 'disk' as never } }, env: {} })).rejects.toThrow(/cache\.backend/);
  });
});
