/** Opaque scan cursors: callers pass back what they got and never build one themselves. */
import { PlumbError } from '../../core/errors.ts';

/** The row position a chunk cursor stands for; 0 (the start) for null or undefined. */
export function parseSeqCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw invalidCursor(cursor);
  return Number(cursor);
}

/** Rejects a cursor that this store did not hand out. */
export function invalidCursor(cursor: string): PlumbError {
  return new PlumbError('bad_request', `"${cursor.slice(0, 40)}" is not a scan cursor of this store.`, {
    hint: 'Pass back the nextCursor of the previous page unchanged, or null to start from the beginning.',
  });
}
