/**
 * One judge call: a rubric rendered for one input, sent to the model, its JSON reply validated,
 * and on an invalid reply asked again (telling the model what was wrong) up to `maxRetries`
 * times. A reply that stays invalid, or a model call that fails for a reason a retry of the whole
 * eval could fix, becomes an undetermined sample with the reason — never a crash or a default
 * verdict. Valid outputs are cached under sha256(judge version, rubric, full prompt, sample), so
 * re-running an eval makes no model calls; failures are not cached, so a re-run tries again.
 */
import { PlumbError, toPlumbError } from '../../../core/errors.ts';
import { sha256 } from '../../../core/hash.ts';
import type { JsonObject, JsonValue } from '../../../core/json.ts';
import type { ChatModel, Message } from '../../../core/model.ts';
import type { Store } from '../../../core/store.ts';
import { parseRubricOutput } from './json-output.ts';
import { renderRubric, type Rubric } from './rubrics.ts';

/** What the judge spent and saved; the runner prints it ("412 judge calls, 388 from cache"). */
export interface LlmJudgeStats {
  /** HTTP calls made to the model, retries included. */
  modelCalls: number;
  /** Samples answered from the cache (no model call). */
  cacheHits: number;
  /** Samples that had to call the model. */
  cacheMisses: number;
  /** Extra calls made because a reply was invalid. */
  retries: number;
  /** Replies that failed JSON parsing, the schema or the rubric's checks. */
  invalidReplies: number;
  /** Samples left undetermined (still invalid after retries, or the call failed). */
  failedSamples: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export function emptyStats(): LlmJudgeStats {
  return { modelCalls: 0, cacheHits: 0, cacheMisses: 0, retries: 0, invalidReplies: 0, failedSamples: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

export interface JudgeCache {
  store: Store;
  tenantId: string;
}

export interface RubricCallContext {
  model: ChatModel;
  temperature: number;
  maxOutputTokens: number;
  /** The judge's version: part of every cache key. */
  judgeVersion: string;
  maxRetries: number;
  cache: JudgeCache | undefined;
  stats: LlmJudgeStats;
}

export type SampleResult<O> =
  | { ok: true; value: O; cached: boolean }
  | { ok: false; reason: string };

// Errors that will fail every call the same way: retrying or marking undetermined would hide a
// misconfiguration behind thousands of undetermined scores, so they stop the eval.
const FATAL: ReadonlySet<string> = new Set(['unauthorized', 'forbidden', 'invalid_config', 'not_found', 'bad_request']);

/** Runs `samples` independent samples of a rubric on one input (sequentially, for a steady rate). */
export async function sampleRubric<I, O>(ctx: RubricCallContext, rubric: Rubric<I, O>, input: I, samples: number): Promise<SampleResult<O>[]> {
  const results: SampleResult<O>[] = [];
  for (let i = 0; i < samples; i++) results.push(await callRubric(ctx, rubric, input, i));
  return results;
}

/** One sample of a rubric on one input: from the cache, or from the model with retries. */
export async function callRubric<I, O>(ctx: RubricCallContext, rubric: Rubric<I, O>, input: I, sampleIndex: number): Promise<SampleResult<O>> {
  const messages = renderRubric(rubric, input);
  const key = sha256(JSON.stringify({ judge: ctx.judgeVersion, rubric: rubric.ref, messages, sample: sampleIndex }));
  const cached = await readCache(ctx, rubric, key);
  if (cached !== null) {
    ctx.stats.cacheHits++;
    return { ok: true, value: cached, cached: true };
  }
  ctx.stats.cacheMisses++;

  const conversation: Message[] = [...messages];
  let lastError = '';
  for (let attempt = 0; attempt <= ctx.maxRetries; attempt++) {
    if (attempt > 0) ctx.stats.retries++;
    let text: string;
    try {
      ctx.stats.modelCalls++;
      const response = await ctx.model.generate({ messages: conversation, temperature: ctx.temperature, maxOutputTokens: ctx.maxOutputTokens });
      ctx.stats.inputTokens += response.usage.inputTokens;
      ctx.stats.outputTokens += response.usage.outputTokens;
      ctx.stats.costUsd += response.cost.usd;
      text = response.text;
    } catch (err) {
      const e = toPlumbError(err);
      if (FATAL.has(e.code)) throw new PlumbError(e.code, `the judge model failed: ${e.message}`, { cause: e, ...(e.hint ? { hint: e.hint } : {}) });
      ctx.stats.failedSamples++;
      return { ok: false, reason: `${rubric.ref}: the judge model call failed (${e.code}): ${e.message}` };
    }
    const parsed = parseRubricOutput(rubric, input, text);
    if (parsed.ok) {
      await writeCache(ctx, key, rubric, parsed.value);
      return { ok: true, value: parsed.value, cached: false };
    }
    ctx.stats.invalidReplies++;
    lastError = parsed.error;
    conversation.push(
      { role: 'assistant', content: text },
      { role: 'user', content: `Your reply could not be used: ${parsed.error}. Reply again with the JSON object only, in exactly the shape asked for.` },
    );
  }
  ctx.stats.failedSamples++;
  return { ok: false, reason: `${rubric.ref}: the judge's reply was still invalid after ${ctx.maxRetries + 1} attempts: ${lastError}` };
}

async function readCache<I, O>(ctx: RubricCallContext, rubric: Rubric<I, O>, key: string): Promise<O | null> {
  if (!ctx.cache) return null;
  const entry = await ctx.cache.store.getJudgeCache(ctx.cache.tenantId, key);
  if (entry === null) return null;
  // Re-validate: an entry written by an older build of the same rubric version must not slip through.
  const parsed = rubric.schema.safeParse(entry['output']);
  return parsed.success ? parsed.data : null;
}

async function writeCache<I, O>(ctx: RubricCallContext, key: string, rubric: Rubric<I, O>, value: O): Promise<void> {
  if (!ctx.cache) return;
  const entry: JsonObject = { rubric: rubric.ref, output: value as JsonValue };
  await ctx.cache.store.putJudgeCache(ctx.cache.tenantId, key, ctx.judgeVersion, entry);
}
