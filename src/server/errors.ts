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

/** The Hono error handler: PlumbErrors keep their status; other errors become 500 without internals. */
export function errorResponse(err: unknown, c: Context): Response {
  const error = err instanceof ZodError ? validationError(err) : toPlumbError(err);
  if (error.status >= 500) process.stderr.write(`plumb: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${error.message}\n`);
  const body = error.code === 'internal' ? new PlumbError('internal', 'internal error; see the server log').toJSON() : error.toJSON();
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  return c.json({ error: { ...body.error, type: error.code } }, error.status as ContentfulStatusCode);
}

/** Parses a JSON body and validates it, with 400s that say what is wrong. */
export async function readJson<T>(c: Context, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new PlumbError('bad_request', 'request body is not valid JSON', { hint: 'send Content-Type: application/json with a JSON object' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
