/**
 * The eval runner: each golden case through the live pipeline (`plumb.ask`) or from recorded
 * outputs, scored, and stored the moment it is scored, so `--resume <runId>` after a kill skips
 * the finished cases. The run row moves running → completed (or failed) and carries the golden
 * set's name and content hash and the configuration that was evaluated.
 */
import { randomBytes } from 'node:crypto';
import { PlumbError, toPlumbError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import type { EmbeddingModel } from '../../core/model.ts';
import type { EvalRunRow } from '../../core/store.ts';
import type { Plumb } from '../../plumb.ts';
import type { SupportJudge } from '../judges/judge.ts';
import { aggregateEveryMetric } from '../stats/aggregate-scores.ts';
import type { EvalRunSummary, GoldenCase, GoldenSet, SystemOutput } from '../types.ts';
import { systemOutputFromAsk } from './live-output.ts';
import { performanceOf } from './performance.ts';
import { memoizeJudge } from './memo-judge.ts';
import { mapPool } from './promise-pool.ts';
import { withRateRetry, type RetryOptions } from './rate-retry.ts';
import type { RetrievalCutoffs } from './retrieval-scores.ts';
import { scoreCase } from './score-case.ts';
import { asJson, fromJson, toStored, type StoredCaseResult } from './stored-result.ts';

export interface RunEvalOptions {
  plumb: Plumb;
  golden: GoldenSet;
  /** Run name (default: the golden set's name); `eval report NAME` finds the newest run of a name. */
  name?: string;
  tenantId?: string;
  /** Cases in flight at once. Default 4. */
  concurrency?: number;
  /** Support judge for faithfulness and citation accuracy; null = those are undetermined. */
  judge?: SupportJudge | null;
  /** Continue a stored run: its finished cases are kept, not re-run. */
  resumeRunId?: string;
  /** Score these outputs instead of calling the pipeline (a case without one is an error case). */
  recordedOutputs?: Map<string, SystemOutput>;
  /** Retrieval k and mode for live runs; default the plumb's configuration. */
  k?: number;
  mode?: 'bm25' | 'vector' | 'hybrid';
  embedder?: EmbeddingModel;
  cutoffs?: RetrievalCutoffs;
  /** Answer metrics to compute (by name, those that apply); default all of metrics/answer-metrics.ts. */
  answerMetrics?: readonly string[];
  retry?: RetryOptions;
  /** Called after each case is stored (done includes resumed cases). */
  onProgress?: (done: number, total: number) => void;
}

export interface RunEvalResult {
  runId: string;
  summary: EvalRunSummary;
  results: StoredCaseResult[];
}

/** Runs (or resumes) an evaluation and stores it. */
export async function runEval(options: RunEvalOptions): Promise<RunEvalResult> {
  const { plumb, golden } = options;
  if (golden.cases.length === 0) throw new PlumbError('bad_request', `golden set "${golden.name}" has no cases`, { hint: 'each line of a golden JSONL file is one {"id","question",…} case' });
  const tenantId = options.tenantId ?? plumb.config.defaultTenant;
  const store = plumb.store;
  const judge = options.judge ?? null;
  const config = runConfig(options, judge);

  let row: EvalRunRow;
  const done = new Map<string, StoredCaseResult>();
  if (options.resumeRunId) {
    const found = await store.getEvalRun(tenantId, options.resumeRunId);
    if (!found) throw new PlumbError('not_found', `no eval run "${options.resumeRunId}" to resume`, { hint: 'list runs with `plumb eval runs`' });
    const hash = (found.summary as { goldenSet?: { contentHash?: string } }).goldenSet?.contentHash;
    if (hash !== golden.contentHash) {
      throw new PlumbError('conflict', `run ${found.id} was made with a different golden set (content hash ${String(hash).slice(0, 12)}…, this file ${golden.contentHash.slice(0, 12)}…)`, {
        hint: 'resume with the same golden file, or start a new run',
      });
    }
    for (const stored of await store.listEvalCaseResults(tenantId, found.id)) done.set(stored.caseId, fromJson(stored.result));
    row = found;
  } else {
    row = { id: `eval_${randomBytes(6).toString('hex')}`, tenantId, name: options.name ?? golden.name, createdAt: new Date().toISOString(), status: 'running', summary: {} };
  }
  const base = (status: EvalRunSummary['status'], results: StoredCaseResult[]): EvalRunSummary => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    goldenSet: { name: golden.name, contentHash: golden.contentHash, cases: golden.cases.length },
    config,
    aggregates: aggregateEveryMetric(results.map((r) => r.scores)),
    performance: performanceOf(results),
    status,
  });
  await store.putEvalRun({ ...row, status: 'running', summary: base('running', [...done.values()]) as unknown as JsonObject });

  const todo = golden.cases.filter((c) => !done.has(c.id));
  // Loading the index and the embedder's model is a one-off cost, not the latency of a request.
  if (!options.recordedOutputs && todo.length > 0) await warmUp(plumb, tenantId);
  let finished = done.size;
  options.onProgress?.(finished, golden.cases.length);
  try {
    await mapPool(todo, options.concurrency ?? 4, async (goldenCase) => {
      const output = await produceOutput(options, goldenCase, tenantId);
      const started = performance.now();
      const scores = await scoreCase(goldenCase, output, { judge: judge ? memoizeJudge(judge) : null, ...(options.embedder ? { embedder: options.embedder } : {}), ...(options.cutoffs ? { cutoffs: options.cutoffs } : {}), ...(options.answerMetrics ? { answerMetrics: options.answerMetrics } : {}) });
      const stored = toStored({ caseId: goldenCase.id, question: goldenCase.question, output, scores }, goldenCase, performance.now() - started);
      await store.putEvalCaseResult(tenantId, row.id, goldenCase.id, asJson(stored));
      done.set(goldenCase.id, stored);
      options.onProgress?.(++finished, golden.cases.length);
    });
  } catch (error) {
    // Finished cases stay stored: the run can be resumed.
    const ordered = inGoldenOrder(golden.cases, done);
    await store.putEvalRun({ ...row, status: 'failed', summary: { ...base('failed', ordered), error: toPlumbError(error).message } as unknown as JsonObject });
    throw error;
  }
  const results = inGoldenOrder(golden.cases, done);
  const summary = base('completed', results);
  await store.putEvalRun({ ...row, status: 'completed', summary: summary as unknown as JsonObject });
  return { runId: row.id, summary, results };
}

/** The case's output: recorded, or live through the pipeline (rate limits waited out, other failures kept as the case's error). */
async function produceOutput(options: RunEvalOptions, golden: GoldenCase, tenantId: string): Promise<SystemOutput> {
  if (options.recordedOutputs) {
    return options.recordedOutputs.get(golden.id) ?? { caseId: golden.id, answer: '', contexts: [], error: 'no recorded output for this case' };
  }
  try {
    const result = await withRateRetry(
      () => options.plumb.ask(golden.question, { tenantId, ...(options.k !== undefined ? { k: options.k } : {}), ...(options.mode ? { mode: options.mode } : {}) }),
      options.retry,
    );
    return systemOutputFromAsk(golden.id, result);
  } catch (error) {
    return { caseId: golden.id, answer: '', contexts: [], error: `${toPlumbError(error).code}: ${toPlumbError(error).message}` };
  }
}

async function warmUp(plumb: Plumb, tenantId: string): Promise<void> {
  await plumb.warmUp({ tenantId });
  await plumb.embedder?.embed(['warm up'], { purpose: 'query' }).catch(() => undefined);
}

/** What was evaluated: a run's numbers mean nothing without it. */
function runConfig(options: RunEvalOptions, judge: SupportJudge | null): JsonObject {
  const { config, chatModel, embedder } = options.plumb;
  return {
    source: options.recordedOutputs ? 'recorded' : 'live',
    answer: options.recordedOutputs ? null : { provider: chatModel.provider, model: chatModel.modelId },
    retrieval: options.recordedOutputs ? null : { mode: options.mode ?? config.retrieval.mode, k: options.k ?? config.retrieval.k },
    embedder: options.recordedOutputs || !embedder ? null : { provider: embedder.provider, model: embedder.modelId },
    judge: judge ? { name: judge.name, version: judge.version, kind: judge.kind } : null,
    answerMetrics: options.answerMetrics ? [...options.answerMetrics] : 'all',
    concurrency: options.concurrency ?? 4,
  };
}

function inGoldenOrder(cases: readonly GoldenCase[], done: ReadonlyMap<string, StoredCaseResult>): StoredCaseResult[] {
  return cases.map((c) => done.get(c.id)).filter((r): r is StoredCaseResult => r !== undefined);
}
