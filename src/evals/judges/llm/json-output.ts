/**
 * Reading a judge model's reply: the JSON object in it (models wrap JSON in ```json fences or
 * add a sentence before it), validated by the rubric's schema and checks. A failure is a message
 * written for the model, because the judge sends it back when it asks again.
 */
import { z } from 'zod';
import type { Rubric } from './rubrics.ts';

export type ParsedOutput<O> = { ok: true; value: O } | { ok: false; error: string };

/** Parses and validates a reply against a rubric. */
export function parseRubricOutput<I, O>(rubric: Rubric<I, O>, input: I, text: string): ParsedOutput<O> {
  const json = extractJson(text);
  if (!json.ok) return json;
  const result = rubric.schema.safeParse(json.value);
  if (!result.success) return { ok: false, error: `the JSON does not match the required shape: ${z.prettifyError(result.error).replace(/\s*\n\s*/g, '; ')}` };
  const problem = rubric.check?.(result.data, input) ?? null;
  return problem === null ? { ok: true, value: result.data } : { ok: false, error: problem };
}

/** The JSON object in a reply: the whole text, a fenced block, or the outermost {...}. */
export function extractJson(text: string): ParsedOutput<unknown> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'the reply was empty; reply with the JSON object only' };
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(trimmed);
  const candidates = [trimmed];
  if (fenced?.[1] !== undefined) candidates.push(fenced[1].trim());
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  let firstError = '';
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value };
      firstError ||= 'the reply is JSON but not an object';
    } catch (err) {
      firstError ||= `the reply is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    }
  }
  return { ok: false, error: firstError };
}
