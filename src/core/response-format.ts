/**
 * For models that cannot promise a JSON answer (Anthropic's Messages API, the offline answerer):
 * a request that asks for one fails as a bad request (not retried, no fallback) instead of
 * getting free text that the caller's JSON parser would choke on.
 */
import { PlumbError } from './errors.ts';
import type { ChatRequest } from './model.ts';

/** Throws `bad_request` when `request` asks for a JSON response format; `who` names the model. */
export function refuseJsonResponseFormat(request: ChatRequest, who: string, hint: string): void {
  const format = request.responseFormat;
  if (format === undefined || format.type === 'text') return;
  throw new PlumbError('bad_request', `response_format ${format.type} cannot be honoured by ${who}, which has no JSON mode`, {
    hint,
    details: { responseFormat: format.type },
  });
}
