/** Request bodies of plumb's HTTP API, validated with zod; /openapi.json is generated from them. */
import { z } from 'zod';

const jsonPrimitive = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const filterSchema = z
  .object({
    documentIds: z.array(z.string().min(1)).max(1000).optional(),
    sourcePrefix: z.string().min(1).optional(),
    metadata: z.record(z.string(), z.union([jsonPrimitive, z.array(jsonPrimitive)])).optional(),
  })
  .strict();

export const modeSchema = z.enum(['bm25', 'vector', 'hybrid']);

export const documentBodySchema = z
  .object({
    text: z.string().min(1, 'text must not be empty'),
    id: z.string().min(1).max(256).optional(),
    title: z.string().max(1000).optional(),
    source: z.string().max(2000).optional(),
    mimeType: z.enum(['text/plain', 'text/markdown', 'text/html']).optional(),
    metadata: z.record(z.string(), jsonPrimitive).optional(),
  })
  .strict();

export const documentsBodySchema = z.union([
  documentBodySchema,
  z.object({ documents: z.array(documentBodySchema).min(1).max(1000) }).strict(),
]);

export const retrieveBodySchema = z
  .object({
    query: z.string().trim().min(1, 'query must not be empty').max(4000),
    k: z.number().int().min(1).max(100).optional(),
    mode: modeSchema.optional(),
    filter: filterSchema.optional(),
    mmrLambda: z.number().min(0).max(1).optional(),
  })
  .strict();

const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

export const queryBodySchema = z
  .object({
    question: z.string().trim().min(1, 'question must not be empty').max(4000),
    k: z.number().int().min(1).max(50).optional(),
    mode: modeSchema.optional(),
    filter: filterSchema.optional(),
    mmrLambda: z.number().min(0).max(1).optional(),
    history: z.array(messageSchema).max(50).optional(),
    stream: z.boolean().optional(),
  })
  .strict();

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

// Text parts only (and an assistant's refusal): an image, audio or file part would otherwise be
// dropped and the model would answer without it.
const TEXT_PARTS = new Set(['text', 'refusal']);
function textPartsOnly(message: { content?: unknown }, ctx: z.RefinementCtx): void {
  if (!Array.isArray(message.content)) return;
  message.content.forEach((part: { type: string }, i) => {
    if (!TEXT_PARTS.has(part.type)) ctx.addIssue({ code: 'custom', path: ['content', i, 'type'], message: `plumb's gateway passes text only: a "${part.type.slice(0, 40)}" part is not supported (images, audio and files are not)` });
  });
}

/** OpenAI chat completion request: the fields plumb uses; unknown fields are accepted and ignored. */
export const chatCompletionBodySchema = z
  .object({
    model: z.string().min(1),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
            name: z.string().optional(),
            tool_call_id: z.string().optional(),
            tool_calls: z
              .array(z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) }))
              .optional(),
          })
          .passthrough()
          .superRefine(textPartsOnly),
      )
      .min(1, 'messages must not be empty'),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    stop: z.union([z.string(), z.array(z.string())]).nullable().optional(),
    tools: z
      .array(z.object({ type: z.literal('function'), function: z.object({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }) }))
      .optional(),
    tool_choice: z.unknown().optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    response_format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({ type: z.literal('json_object') }),
        z.object({
          type: z.literal('json_schema'),
          json_schema: z.object({ name: z.string().min(1).max(64), description: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullable().optional() }),
        }),
      ])
      .nullable()
      .optional(),
    reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
    user: z.string().max(256).optional(),
    // One choice per request, text only: more is refused with a reason instead of being dropped.
    n: z.number().int().min(1).max(1, 'n must be 1: plumb answers with one choice; send n requests for n answers').nullable().optional(),
    logprobs: z.literal(false, 'logprobs are not returned through plumb; leave logprobs unset or false').nullable().optional(),
    top_logprobs: z.null('top_logprobs needs logprobs, which plumb does not return').optional(),
    modalities: z.array(z.literal('text', 'plumb answers in text only: modalities must be ["text"]')).nullable().optional(),
    functions: z.undefined('"functions" is the deprecated form of "tools": send { "type": "function", "function": {...} } entries in "tools"').optional(),
    function_call: z.undefined('"function_call" is the deprecated form of "tool_choice": send "tool_choice" instead').optional(),
  })
  .passthrough();

export const embeddingsBodySchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  })
  .strict();
