/**
 * How long a provider asks us to wait. OpenAI sends `retry-after-ms` next to `Retry-After`;
 * Anthropic and most proxies send `Retry-After` as seconds, some as an HTTP date.
 */

/** Seconds to wait before retrying, or undefined when the headers say nothing usable. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = parseNonNegativeNumber(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds / 1000;

  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return seconds;

  // An HTTP date names its weekday and month; Date.parse would also accept junk such as "-5".
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  // A date in the past means "now"; never hand a negative wait to a retry loop.
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function parseNonNegativeNumber(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
