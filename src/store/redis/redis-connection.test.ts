import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import { connectRedis, redactRedisUrl } from './redis-connection.ts';

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectRedis', () => {
  it('connects to the real Redis and answers commands', async () => {
    const client = await connectRedis('redis://127.0.0.1:6379');
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('says which Redis is unreachable when nothing listens there', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await connectRedis(`redis://:s3cret@127.0.0.1:${port}`).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PlumbError);
    const plumbError = error as PlumbError;
    expect(plumbError.code).toBe('unavailable');
    expect(plumbError.status).toBe(503);
    expect(plumbError.message).toContain(`127.0.0.1:${port}`);
    expect(plumbError.message).not.toContain('s3cret');
    expect(plumbError.hint).toMatch(/memory/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('rejects URLs that are not redis URLs', async () => {
    await expect(connectRedis('http://127.0.0.1:6379')).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(connectRedis('not a url')).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('redacts passwords', () => {
    expect(redactRedisUrl('redis://user:pw@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactRedisUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
