/** Turns a RetrievalFilter into a predicate over chunk ids, evaluated inside the index scans. */
import type { RetrievalFilter } from '../../core/document.ts';
import type { JsonObject, JsonPrimitive, JsonValue } from '../../core/json.ts';

/** What a filter needs to know about a chunk. */
export interface FilterableChunk {
  documentId: string;
  /** The document's source, or undefined when it is not known (then a sourcePrefix never matches). */
  source: string | undefined;
  metadata: JsonObject;
}

/** Whether a filter has any condition at all (an empty one is skipped rather than evaluated). */
export function isEmptyFilter(filter: RetrievalFilter | undefined): boolean {
  if (!filter) return true;
  return filter.documentIds === undefined && filter.sourcePrefix === undefined && (filter.metadata === undefined || Object.keys(filter.metadata).length === 0);
}

/** A predicate that holds when every condition of the filter holds for the chunk. */
export function compileFilter(
  filter: RetrievalFilter,
  lookup: (chunkId: string) => FilterableChunk | undefined,
): (chunkId: string) => boolean {
  const documentIds = filter.documentIds ? new Set(filter.documentIds) : undefined;
  const prefix = filter.sourcePrefix;
  const metadata = Object.entries(filter.metadata ?? {});
  return (chunkId) => {
    const chunk = lookup(chunkId);
    if (!chunk) return false;
    if (documentIds && !documentIds.has(chunk.documentId)) return false;
    if (prefix !== undefined && (chunk.source === undefined || !chunk.source.startsWith(prefix))) return false;
    for (const [key, wanted] of metadata) if (!metadataMatches(chunk.metadata[key], wanted)) return false;
    return true;
  };
}

// An array on the filter side means "any of"; an array on the chunk side matches when it contains
// a wanted value (tags: ["a", "b"] matches tags: "a").
function metadataMatches(actual: JsonValue | undefined, wanted: JsonPrimitive | JsonPrimitive[]): boolean {
  if (actual === undefined) return false;
  const options = Array.isArray(wanted) ? wanted : [wanted];
  if (Array.isArray(actual)) return actual.some((value) => options.some((option) => option === value));
  return options.some((option) => option === actual);
}
