/** /openapi.json, generated from the same zod schemas that validate the requests. */
import { z } from 'zod';
import { chatCompletionBodySchema, documentsBodySchema, embeddingsBodySchema, queryBodySchema, retrieveBodySchema } from './http-schemas.ts';

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } }, required: ['code', 'message'] } },
};

function body(schema: z.ZodType, description: string) {
  return { description, required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } };
}

const errors = {
  '400': { description: 'Invalid request', content: { 'application/json': { schema: errorSchema } } },
  '401': { description: 'Missing or invalid API key', content: { 'application/json': { schema: errorSchema } } },
};
const budgetUsageSchema = {
  type: 'object',
  required: ['tenantId', 'source', 'budgets'],
  properties: {
    tenantId: { type: 'string' },
    source: { type: 'string', enum: ['tenant', 'default', 'none'], description: 'the tenant\'s own budget, the "*" one, or none configured' },
    backend: { type: 'string', enum: ['memory', 'redis'] },
    budgets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['unit', 'period', 'mode', 'limit', 'spent', 'reserved', 'remaining', 'windowStart', 'resetsAt'],
        properties: {
          unit: { type: 'string', enum: ['tokens', 'usd'] },
          period: { type: 'string', enum: ['daily', 'monthly'] },
          mode: { type: 'string', enum: ['hard', 'soft'] },
          limit: { type: 'number' },
          spent: { type: 'number', description: 'settled by finished requests (USD: what the ledger booked)' },
          reserved: { type: 'number', description: 'held by requests in flight (their worst case)' },
          remaining: { type: 'number', description: 'limit - spent - reserved; negative past a soft budget' },
          windowStart: { type: 'string', format: 'date-time' },
          resetsAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'plumb', version, description: 'Offline RAG service: ingest, hybrid retrieval, cited answers, traces.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { summary: 'Liveness and store status', security: [], responses: { '200': ok('Healthy') } } },
      '/v1/documents': {
        post: {
          summary: 'Add documents as JSON text, or upload files as multipart/form-data (field "file")',
          requestBody: {
            ...body(documentsBodySchema, 'One document, or {documents: [...]}'),
            content: {
              ...body(documentsBodySchema, '').content,
              'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } },
            },
          },
          responses: { '201': ok('Ingest report with document ids'), ...errors, '413': ok('Body too large'), '415': ok('Unsupported file type') },
        },
        get: { summary: 'List documents', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'offset', in: 'query', schema: { type: 'integer' } }], responses: { '200': ok('Documents'), ...errors } },
      },
      '/v1/documents/{id}': {
        get: { summary: 'A document and its chunks', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok('Document'), '404': ok('Unknown id') } },
        delete: { summary: 'Delete a document and its chunks', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok('Deleted'), '404': ok('Unknown id') } },
      },
      '/v1/retrieve': { post: { summary: 'Ranked chunks for a query', requestBody: body(retrieveBodySchema, 'Query'), responses: { '200': ok('Chunks'), ...errors } } },
      '/v1/query': { post: { summary: 'Answer with citations (set stream: true for server-sent events)', requestBody: body(queryBodySchema, 'Question'), responses: { '200': ok('Answer'), ...errors } } },
      '/v1/chat/completions': { post: { summary: 'OpenAI-compatible chat; model "plumb-rag" answers from your documents', requestBody: body(chatCompletionBodySchema, 'OpenAI chat completion request'), responses: { '200': ok('Chat completion'), ...errors } } },
      '/v1/embeddings': { post: { summary: 'OpenAI-compatible embeddings', requestBody: body(embeddingsBodySchema, 'OpenAI embeddings request'), responses: { '200': ok('Embeddings'), ...errors } } },
      '/v1/models': { get: { summary: 'Models this server answers to', responses: { '200': ok('Models') } } },
      '/v1/traces': { get: { summary: 'Recent traces', responses: { '200': ok('Trace summaries') } } },
      '/v1/ledger': { get: { summary: 'The cost ledger: totals summed from the rows, and the rows (since, until, limit)', responses: { '200': ok('Totals and entries') } } },
      '/v1/budgets': {
        get: {
          summary: "The calling tenant's budgets: per window (tokens / usd, daily / monthly) the limit, spent (settled), reserved (in flight), remaining and resetsAt",
          responses: { '200': { description: 'Budget usage', content: { 'application/json': { schema: budgetUsageSchema } } }, ...errors },
        },
      },
      '/v1/cache/stats': { get: { summary: "The gateway caches' hits and misses for this tenant", responses: { '200': ok('Cache statistics') } } },
      '/v1/traces/{id}': { get: { summary: 'The spans of one request', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok('Trace'), '404': ok('Unknown id') } } },
    },
  };
}
