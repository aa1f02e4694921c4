/** Reads an LLM's generation reply: JSON (optionally fenced or wrapped in prose), validated by schema. */
import { z } from 'zod';

const itemSchema = z.object({
  question: z.string().trim().min(1),
  answer: z.string().trim().min(1),
  evidence: z.string().trim().min(1),
});

const replySchema = z.object({ items: z.array(itemSchema) });

export type GeneratedItem = z.infer<typeof itemSchema>;

export type ParsedReply = { ok: true; items: GeneratedItem[] } | { ok: false; problem: string };

/** The items of a reply, or what was wrong with it (to tell the model on the retry). */
export function parseGenerationReply(text: string): ParsedReply {
  const json = extractJson(text);
  if (json === null) return { ok: false, problem: 'no JSON object or array found' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { ok: false, problem: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  // Models return the object asked for, or sometimes the bare array.
  const parsed = replySchema.safeParse(Array.isArray(value) ? { items: value } : value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `JSON does not match {"items": [{question, answer, evidence}]}${issue ? `: ${issue.path.join('.') || 'root'} ${issue.message}` : ''}` };
  }
  return { ok: true, items: parsed.data.items };
}

/** The JSON text inside a reply: a fenced block's content, else from the first { or [ to the last } or ]. */
function extractJson(text: string): string | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  const start = body.search(/[[{]/);
  if (start === -1) return null;
  const end = Math.max(body.lastIndexOf('}'), body.lastIndexOf(']'));
  return end > start ? body.slice(start, end + 1) : null;
}
