/** /v1/documents: add (JSON text or multipart file upload), list, get, delete. */
import { Hono } from 'hono';
import { PlumbError } from '../../core/errors.ts';
import { readJson } from '../errors.ts';
import { documentsBodySchema } from '../http-schemas.ts';
import type { ServerContext, ServerEnv } from '../server-env.ts';

export function documentRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();

  app.post('/', async (c) => {
    const tenantId = c.get('tenantId');
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await c.req.formData();
      const files = form.getAll('file').filter((f) => typeof f !== 'string') as unknown as Array<Blob & { name: string }>;
      if (files.length === 0) throw new PlumbError('bad_request', 'multipart upload has no "file" field', { hint: 'curl -F file=@notes.md …' });
      const reports = [];
      for (const file of files) {
        reports.push(await ctx.plumb.addFile(file.name, new Uint8Array(await file.arrayBuffer()), { tenantId }));
      }
      return c.json({ documentIds: reports.flatMap((r) => r.documentIds), reports }, 201);
    }
    if (!type.includes('json')) {
      throw new PlumbError('unsupported_file', `unsupported Content-Type "${type || '(none)'}"`, {
        hint: 'send application/json {"text": "..."} or multipart/form-data with a file field',
      });
    }
    const body = await readJson(c, documentsBodySchema);
    const documents = 'documents' in body ? body.documents : [body];
    const report = await ctx.plumb.addDocuments(documents, { tenantId });
    return c.json({ documentIds: report.documentIds, report }, 201);
  });

  app.get('/', async (c) => {
    const limit = clampInt(c.req.query('limit'), 100, 1, 1000);
    const offset = clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    const tenantId = c.get('tenantId');
    const documents = await ctx.plumb.listDocuments({ tenantId, limit, offset });
    const total = await ctx.plumb.store.countDocuments(tenantId);
    return c.json({ documents, total, limit, offset });
  });

  app.get('/:id', async (c) => {
    const { document, chunks } = await ctx.plumb.getDocument(c.req.param('id'), { tenantId: c.get('tenantId') });
    return c.json({ document, chunks: chunks.map(({ tenantId: _t, ...chunk }) => chunk) });
  });

  app.delete('/:id', async (c) => {
    const result = await ctx.plumb.deleteDocument(c.req.param('id'), { tenantId: c.get('tenantId') });
    return c.json({ id: c.req.param('id'), ...result });
  });

  return app;
}

function clampInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new PlumbError('bad_request', `expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}
