/** Turns anything thrown in a handler into the one JSON error shape with its HTTP status. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { PlumbError, toPlumbError } from '../core/errors.ts';

/** A PlumbError for a failed zod validation, listing each bad field. */
export function validationError(error: ZodError): PlumbError {
  const issues = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return new PlumbError('bad_request', `invalid request: ${summary}`, { details: { issues } });
}

/** An error as the API answers it: status, the one JSON error shape, and Retry-After when known. */
export interface ErrorReply {
  status: number;
  body: { error: Record<string, unknown> };
  retryAfter?: string;
}

/** PlumbErrors keep their status; other errors become 500 without internals (logged with `where`). */
export function errorReply(err: unknown, where: string): ErrorReply {
  const error = err instanceof ZodError ? validationError(err) : toPlumbError(err);
  if (error.status >= 500) process.stderr.write(`plumb: ${where} failed: ${error.message}\n`);
  const body = error.code === 'internal' ? new PlumbError('internal', 'internal error; see the server log').toJSON() : error.toJSON();
  return {
    status: error.status,
    body: { error: { ...body.error, type: error.code } },
    ...(error.retryAfterSeconds !== undefined ? { retryAfter: String(Math.ceil(error.retryAfterSeconds)) } : {}),
  };
}

/** The Hono error handler. */
export function errorResponse(err: unknown, c: Context): Response {
  const reply = errorReply(err, `${c.req.method} ${new URL(c.req.url).pathname}`);
  if (reply.retryAfter !== undefined) c.header('Retry-After', reply.retryAfter);
  return c.json(reply.body, reply.status as ContentfulStatusCode);
}

/** The 400 for a body that does not parse as JSON. */
export function notJsonError(): PlumbError {
  return new PlumbError('bad_request', 'request body is not valid JSON', { hint: 'send Content-Type: application/json with a JSON object' });
}

/** Validates a parsed body, with a 400 that lists each bad field. */
export function validated<T>(raw: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Parses a JSON body and validates it, with 400s that say what is wrong. */
export async function readJson<T>(c: Context, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw notJsonError();
  }
  return validated(raw, schema);
}
