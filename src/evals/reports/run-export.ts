/**
 * A run as one JSON document (`plumb eval report RUN --json`): the summary and every case result.
 * The same document is what `eval gate --baseline FILE` and `eval compare` read, so CI can keep a
 * committed baseline without a store.
 */
import fs from 'node:fs';
import { PlumbError } from '../../core/errors.ts';
import type { Store } from '../../core/store.ts';
import { fromJson, type StoredCaseResult } from '../runner/stored-result.ts';
import type { EvalRunSummary } from '../types.ts';

export const RUN_EXPORT_FORMAT = 'plumb-eval-run';

export interface RunExport {
  format: typeof RUN_EXPORT_FORMAT;
  version: 1;
  summary: EvalRunSummary;
  results: StoredCaseResult[];
}

/** Builds the export document. */
export function runExport(summary: EvalRunSummary, results: StoredCaseResult[]): RunExport {
  return { format: RUN_EXPORT_FORMAT, version: 1, summary, results };
}

/** A stored run by id (or newest of a name) with its case results. */
export async function loadStoredRun(store: Store, tenantId: string, idOrName: string): Promise<RunExport | null> {
  const row = await store.getEvalRun(tenantId, idOrName);
  if (!row) return null;
  const results = (await store.listEvalCaseResults(tenantId, row.id)).map((r) => fromJson(r.result));
  const summary = { ...(row.summary as unknown as EvalRunSummary), id: row.id, name: row.name, createdAt: row.createdAt, status: row.status };
  return runExport(summary, results);
}

/** Reads an exported run from a JSON file, with errors that say what is wrong. */
export function readRunFile(filePath: string): RunExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(filePath, 'utf8'));
  } catch (cause) {
    throw new PlumbError('bad_request', `cannot read ${filePath} as JSON`, { hint: 'export a run with `plumb eval report RUN --json > file.json`', cause });
  }
  const doc = parsed as Partial<RunExport>;
  if (doc.format !== RUN_EXPORT_FORMAT || !doc.summary || !Array.isArray(doc.results)) {
    throw new PlumbError('bad_request', `${filePath} is not an exported eval run (format "${RUN_EXPORT_FORMAT}")`, { hint: 'export a run with `plumb eval report RUN --json > file.json`' });
  }
  return doc as RunExport;
}

/** A run named by a JSON file path, a stored run id, or a stored run name. */
export async function resolveRun(store: Store, tenantId: string, ref: string): Promise<RunExport> {
  if (ref.endsWith('.json') || fs.existsSync(ref)) {
    if (!fs.existsSync(ref)) throw new PlumbError('not_found', `no such file: ${ref}`);
    return readRunFile(ref);
  }
  const run = await loadStoredRun(store, tenantId, ref);
  if (!run) throw new PlumbError('not_found', `no eval run "${ref}" (by id or name) and no such file`, { hint: 'list runs with `plumb eval runs`' });
  return run;
}

/** Per metric, case id → determined value (undetermined cases are absent, never 0). */
export function valuesByMetric(results: readonly StoredCaseResult[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of results) {
    for (const s of r.scores) {
      if (s.value === null || !Number.isFinite(s.value)) continue;
      let m = out.get(s.name);
      if (!m) out.set(s.name, (m = new Map()));
      m.set(r.caseId, s.value);
    }
  }
  return out;
}

/**
 * The run without retrieved contexts and score evidence: what a gate baseline needs (every score
 * with its reason) in a file small enough to commit.
 */
export function compactExport(run: RunExport): RunExport {
  return {
    ...run,
    results: run.results.map((r) => ({
      ...r,
      output: { caseId: r.output.caseId, answer: r.output.answer, contexts: [], ...(r.output.error !== undefined ? { error: r.output.error } : {}) },
      scores: r.scores.map(({ evidence: _evidence, ...rest }) => rest),
    })),
  };
}
