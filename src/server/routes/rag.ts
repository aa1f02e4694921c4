/** /v1/retrieve and /v1/query (JSON or server-sent events). */
import { Hono } from 'hono';
import { toPlumbError } from '../../core/errors.ts';
import { readJson } from '../errors.ts';
import { queryBodySchema, retrieveBodySchema } from '../http-schemas.ts';
import { presentAskResult, presentChunk } from '../present.ts';
import type { ServerContext, ServerEnv } from '../server-env.ts';
import { sseResponse } from '../sse.ts';

export function ragRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();

  app.post('/retrieve', async (c) => {
    const body = await readJson(c, retrieveBodySchema);
    const result = await ctx.plumb.retrieve(body.query, { tenantId: c.get('tenantId'), ...defined(body) });
    return c.json({ mode: result.mode, latencyMs: result.latencyMs, traceId: result.traceId, chunks: result.chunks.map(presentChunk) });
  });

  app.post('/query', async (c) => {
    const body = await readJson(c, queryBodySchema);
    const options = { tenantId: c.get('tenantId'), ...defined(body), signal: c.req.raw.signal };
    if (!body.stream) return c.json(presentAskResult(await ctx.plumb.ask(body.question, options)));
    return sseResponse(
      async (w) => {
        for await (const event of ctx.plumb.askStream(body.question, options)) {
          if (event.type === 'retrieval') w.send('retrieval', { mode: event.retrieval.mode, traceId: event.traceId, chunks: event.retrieval.chunks.map(presentChunk) });
          else if (event.type === 'delta') w.send('delta', { text: event.text });
          else w.send('done', presentAskResult(event.result));
        }
      },
      (error, w) => w.send('error', toPlumbError(error).toJSON()),
      c,
    );
  });

  return app;
}

/** The optional retrieval fields that were actually sent (exactOptionalPropertyTypes-safe). */
function defined(body: { k?: number | undefined; mode?: 'bm25' | 'vector' | 'hybrid' | undefined; filter?: object | undefined; mmrLambda?: number | undefined; history?: Array<{ role: 'system' | 'user' | 'assistant'; content: string }> | undefined }) {
  return {
    ...(body.k !== undefined ? { k: body.k } : {}),
    ...(body.mode !== undefined ? { mode: body.mode } : {}),
    ...(body.filter !== undefined ? { filter: body.filter } : {}),
    ...(body.mmrLambda !== undefined ? { mmrLambda: body.mmrLambda } : {}),
    ...(body.history !== undefined ? { history: body.history } : {}),
  };
}
