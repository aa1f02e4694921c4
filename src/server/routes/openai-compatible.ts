/**
 * OpenAI-compatible endpoints, so any OpenAI client or SDK can use plumb: /v1/models,
 * /v1/chat/completions (answered by chat-completions.ts) and /v1/embeddings.
 */
import { Hono } from 'hono';
import { PlumbError } from '../../core/errors.ts';
import { readJson } from '../errors.ts';
import { chatCompletionBodySchema, embeddingsBodySchema } from '../http-schemas.ts';
import type { ServerContext, ServerEnv } from '../server-env.ts';
import { callerOptionsOf } from '../caller-options.ts';
import { sseResponse } from '../sse.ts';
import { CHAT_MODEL, RAG_MODEL, chatCompletion, chatStreamError } from './chat-completions.ts';
import { responseHeaders } from './openai-wire.ts';

export { CHAT_MODEL, RAG_MODEL };
export const EMBED_MODEL = 'plumb-embed';

export function openAICompatibleRoutes(ctx: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();

  app.get('/models', (c) => {
    const routing = ctx.plumb.config.routing;
    const gatewayNames = [
      ...Object.keys(ctx.plumb.config.gateway.aliases),
      ...Object.keys(ctx.plumb.config.gateway.fallbacks),
      ...(routing ? [routing.name ?? 'auto'] : []),
      ...Object.keys(ctx.plumb.config.gateway.embeddingAliases),
    ];
    const ids = [RAG_MODEL, CHAT_MODEL, ctx.plumb.chatModel.modelId, ...gatewayNames, ...(ctx.plumb.embedder ? [EMBED_MODEL, ctx.plumb.embedder.modelId] : [])];
    return c.json({ object: 'list', data: [...new Set(ids)].map((id) => ({ id, object: 'model', created: 0, owned_by: 'plumb' })) });
  });

  app.post('/chat/completions', async (c) => {
    const body = await readJson(c, chatCompletionBodySchema);
    const reply = await chatCompletion(ctx, c.get('tenantId'), body, c.req.raw.signal, callerOptionsOf((name) => c.req.header(name)));
    if (reply.kind === 'stream') return sseResponse(reply.produce, chatStreamError, c);
    for (const [name, value] of Object.entries(reply.headers)) c.header(name, value);
    return c.json(reply.body);
  });

  app.post('/embeddings', async (c) => {
    const body = await readJson(c, embeddingsBodySchema);
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const encode = (v: Float32Array) => (body.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v));

    // A gateway embedding alias goes through the gateway: ledger, per-text cache, budgets, fallback.
    const gatewayModel = ctx.plumb.gateway.resolveEmbedding(body.model);
    if (gatewayModel) {
      if (body.dimensions !== undefined && body.dimensions !== gatewayModel.dimensions) {
        throw new PlumbError('bad_request', `"${body.model}" embeds into ${gatewayModel.dimensions} dimensions; it cannot return ${body.dimensions}`, {
          hint: `leave dimensions out, or configure gateway.embeddingAliases.${body.model}.dimensions`,
        });
      }
      const result = await ctx.plumb.embedWith(gatewayModel, inputs, { tenantId: c.get('tenantId'), route: body.model, signal: c.req.raw.signal, purpose: 'document' });
      for (const [name, value] of Object.entries(responseHeaders(gatewayModel.provider, result.cost.usd, result.metadata))) c.header(name, value);
      const data = result.vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v) }));
      const model = typeof result.metadata?.['model'] === 'string' ? result.metadata['model'] : body.model;
      return c.json({ object: 'list', data, model, usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens } });
    }

    const embedder = ctx.plumb.embedder;
    if (embedder && body.model !== EMBED_MODEL && body.model !== embedder.modelId) {
      const aliases = Object.keys(ctx.plumb.config.gateway.embeddingAliases);
      throw new PlumbError('not_found', `unknown embedding model "${body.model}"`, { hint: `use "${EMBED_MODEL}", "${embedder.modelId}"${aliases.length ? ` or a gateway embedding alias (${aliases.join(', ')})` : ''}` });
    }
    if (body.dimensions !== undefined && embedder && body.dimensions !== embedder.dimensions) {
      throw new PlumbError('bad_request', `this embedder has ${embedder.dimensions} dimensions; it cannot return ${body.dimensions}`);
    }
    const result = await ctx.plumb.embed(inputs, { tenantId: c.get('tenantId') });
    const data = result.vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v) }));
    return c.json({ object: 'list', data, model: result.model, usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens } });
  });

  return app;
}
