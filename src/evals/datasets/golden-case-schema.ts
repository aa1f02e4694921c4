/**
 * What one golden-set line may contain, validated with zod: the canonical camelCase fields of
 * `GoldenCase` plus the snake_case names people write by hand (`reference_answer`,
 * `relevant_doc_ids` as a list or as {id: grade}, `gold_passages`). Unknown fields are refused,
 * because a misspelt field silently ignored would make a metric undetermined for no visible reason;
 * anything extra belongs in `metadata`.
 */
import { z } from 'zod';
import type { JsonObject } from '../../core/json.ts';
import type { GoldenCase } from '../types.ts';

const requiredText = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `missing "${what}"` : `"${what}" must be a string`) }).refine((s) => s.trim() !== '', `"${what}" is empty`);

const id = z.union([requiredText('id'), z.number().int()], {
  error: (issue) => (issue.input === undefined ? 'missing "id"' : '"id" must be a string or an integer'),
});
const nonEmptyString = z.string().min(1);
const grade = z.number().finite();
const relevantIds = z.union([z.array(nonEmptyString), z.record(nonEmptyString, grade)], {
  error: 'relevant document ids must be a list of ids or an object {id: grade}',
});
const passages = z.union([nonEmptyString, z.array(nonEmptyString)], { error: 'gold passages must be a string or a list of strings' });

const rawGoldenCase = z.strictObject(
  {
    id,
    question: requiredText('question'),
    referenceAnswer: z.string().optional(),
    reference_answer: z.string().optional(),
    relevantDocumentIds: relevantIds.optional(),
    relevant_doc_ids: relevantIds.optional(),
    relevant_document_ids: relevantIds.optional(),
    relevantChunkIds: z.array(nonEmptyString).optional(),
    relevant_chunk_ids: z.array(nonEmptyString).optional(),
    goldPassages: passages.optional(),
    gold_passages: passages.optional(),
    unanswerable: z.boolean().optional(),
    tags: z.array(z.string()).optional(),
    metadata: z.record(z.string(), z.json()).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (put extra data under "metadata")`
        : issue.input === null || typeof issue.input !== 'object' || Array.isArray(issue.input)
          ? 'a golden case must be a JSON object'
          : undefined,
  },
);

type RawGoldenCase = z.infer<typeof rawGoldenCase>;

/** The canonical field and the aliases that may stand for it. */
const ALIASES = {
  referenceAnswer: ['referenceAnswer', 'reference_answer'],
  relevantDocumentIds: ['relevantDocumentIds', 'relevant_doc_ids', 'relevant_document_ids'],
  relevantChunkIds: ['relevantChunkIds', 'relevant_chunk_ids'],
  goldPassages: ['goldPassages', 'gold_passages'],
} as const satisfies Record<string, ReadonlyArray<keyof RawGoldenCase>>;

export type GoldenCaseParse = { ok: true; value: GoldenCase } | { ok: false; message: string };

/** Validates one parsed JSON value as a golden case, normalising aliases to the canonical shape. */
export function parseGoldenCase(input: unknown): GoldenCaseParse {
  const result = rawGoldenCase.safeParse(input);
  if (!result.success) {
    const messages = result.error.issues.map((issue) => {
      const field = issue.path[0];
      // Name the field unless the message already does (the id/question messages name theirs).
      return field === undefined || issue.message.includes(`"${String(field)}"`) ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
    });
    return { ok: false, message: [...new Set(messages)].join('; ') };
  }
  const raw = result.data;
  const picked: Partial<Record<keyof typeof ALIASES, unknown>> = {};
  for (const [field, names] of Object.entries(ALIASES) as Array<[keyof typeof ALIASES, ReadonlyArray<keyof RawGoldenCase>]>) {
    const present = names.filter((name) => raw[name] !== undefined);
    if (present.length > 1) return { ok: false, message: `give only one of ${present.map((n) => `"${n}"`).join(', ')}` };
    if (present[0] !== undefined) picked[field] = raw[present[0]];
  }
  const value: GoldenCase = { id: String(raw.id), question: raw.question };
  if (typeof picked.referenceAnswer === 'string') value.referenceAnswer = picked.referenceAnswer;
  if (picked.relevantDocumentIds !== undefined) value.relevantDocumentIds = toGrades(picked.relevantDocumentIds as string[] | Record<string, number>);
  if (picked.relevantChunkIds !== undefined) value.relevantChunkIds = [...(picked.relevantChunkIds as string[])];
  if (picked.goldPassages !== undefined) value.goldPassages = typeof picked.goldPassages === 'string' ? [picked.goldPassages] : [...(picked.goldPassages as string[])];
  if (raw.unanswerable !== undefined) value.unanswerable = raw.unanswerable;
  if (raw.tags !== undefined) value.tags = raw.tags;
  if (raw.metadata !== undefined) value.metadata = raw.metadata as JsonObject;
  return { ok: true, value };
}

// A plain list means "these are relevant", grade 1 each, as in binary qrels.
function toGrades(ids: string[] | Record<string, number>): Record<string, number> {
  if (!Array.isArray(ids)) return { ...ids };
  const grades: Record<string, number> = {};
  for (const id of ids) grades[id] = 1;
  return grades;
}
