/**
 * What a caller of `/v1/chat/completions` may say in request headers, beside the OpenAI body:
 * `x-plumb-tags` labels the call for routing rules (`when: { tag }`) and the ledger, and HTTP's
 * own `Cache-Control` (`no-cache`: a fresh answer, stored; `no-store`: the caches untouched)
 * decides whether the gateway's caches answer it.
 */
import { PlumbError } from '../core/errors.ts';
import type { ChatRequest } from '../core/model.ts';

export type CallerOptions = Pick<ChatRequest, 'tags' | 'cacheControl'>;

const TAG = /^[\w.:-]{1,64}$/;
const MAX_TAGS = 16;

/** The caller's options from a request's headers; a malformed tag list is a 400 with the rule. */
export function callerOptionsOf(header: (name: string) => string | undefined): CallerOptions {
  const options: CallerOptions = {};
  const tags = tagsOf(header('x-plumb-tags'));
  if (tags.length > 0) options.tags = tags;
  const cacheControl = cacheControlOf(header('cache-control'));
  if (cacheControl) options.cacheControl = cacheControl;
  return options;
}

function tagsOf(value: string | undefined): string[] {
  if (value === undefined) return [];
  const tags = [...new Set(value.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  const bad = tags.find((tag) => !TAG.test(tag));
  if (bad !== undefined || tags.length > MAX_TAGS) {
    throw new PlumbError('bad_request', bad !== undefined ? `x-plumb-tags: "${bad.slice(0, 80)}" is not a tag` : `x-plumb-tags: ${tags.length} tags, at most ${MAX_TAGS}`, {
      hint: `Send up to ${MAX_TAGS} comma-separated tags of 1–64 letters, digits, "_", ".", ":" or "-", e.g. "x-plumb-tags: judge,batch".`,
    });
  }
  return tags;
}

/** `no-store` wins over `no-cache` (it asks for less); other directives do not concern a request to a gateway. */
function cacheControlOf(value: string | undefined): CallerOptions['cacheControl'] {
  if (value === undefined) return undefined;
  const directives = value.toLowerCase().split(',').map((d) => d.trim());
  if (directives.includes('no-store')) return 'no-store';
  if (directives.includes('no-cache') || directives.includes('max-age=0')) return 'no-cache';
  return undefined;
}
