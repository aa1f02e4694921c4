/**
 * A `provider/model` name as callers write it (`openai/gpt-4o-mini`): split at the first slash
 * when the part before it is a configured provider. Model ids may hold slashes of their own
 * (`vllm/meta-llama/Llama-3-8B`), so only the first one separates.
 */
export function providerModelName(providers: Record<string, unknown>, name: string): { provider: string; model: string } | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0) return undefined;
  const provider = name.slice(0, slash);
  return Object.hasOwn(providers, provider) ? { provider, model: name.slice(slash + 1) } : undefined;
}
