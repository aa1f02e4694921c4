/** Who we are talking to, carried into every error message so a user knows which server failed. */
export interface ProviderEndpoint {
  /** Name shown in messages and in `ChatResponse.provider`, e.g. "openai", "ollama", "anthropic". */
  provider: string;
  baseURL: string;
  /** Only used to scrub the key from any provider text we repeat; never shown. */
  apiKey?: string | undefined;
}

/** Removes a trailing slash so `${baseURL}/path` never doubles it. */
export function trimBaseURL(baseURL: string): string {
  return baseURL.replace(/\/+$/, '');
}

/** Replaces the API key wherever a provider echoed it back (some put it in error messages). */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}
