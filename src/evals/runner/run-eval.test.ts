import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../core/hash.ts';
import type { Plumb } from '../../plumb.ts';
import { SAMPLE_DOCS, tempPlumb } from '../../testing/temp-plumb.ts';
import { createOfflineJudge } from '../judges/offline/index.ts';
import type { GoldenCase, GoldenSet } from '../types.ts';
import { runEval } from './run-eval.ts';

const CASES: GoldenCase[] = [
  { id: 'port', question: 'Which port does the server listen on by default?', referenceAnswer: 'port 8787', goldPassages: ['The server listens on port 8787 by default.'] },
  { id: 'keys', question: 'How are API keys stored?', referenceAnswer: 'hashed with SHA-256', goldPassages: ['API keys are hashed with SHA-256 before they are stored.'] },
  { id: 'chunks', question: 'How are chunk sizes measured?', referenceAnswer: 'in BPE tokens', goldPassages: ['Chunk sizes are measured in BPE tokens.'] },
  { id: 'none', question: 'What is the capital of Mongolia?', unanswerable: true },
];

function goldenSet(cases: GoldenCase[]): GoldenSet {
  return { name: 'tiny', contentHash: sha256(JSON.stringify(cases)), cases, problems: [] };
}

let plumb: Plumb | undefined;
afterEach(async () => {
  await plumb?.close();
  plumb = undefined;
});

async function samplePlumb(): Promise<Plumb> {
  ({ plumb } = await tempPlumb({ embeddings: { provider: 'none' } }));
  await plumb.addDocuments(SAMPLE_DOCS);
  return plumb;
}

describe('runEval', () => {
  it('scores a live run, stores every case and counts undetermined scores apart', async () => {
    const p = await samplePlumb();
    const progress: number[] = [];
    const { runId, summary, results } = await runEval({ plumb: p, golden: goldenSet(CASES), judge: createOfflineJudge(), concurrency: 2, onProgress: (d) => progress.push(d) });
    expect(summary.status).toBe('completed');
    expect(summary.goldenSet.contentHash).toBe(goldenSet(CASES).contentHash);
    expect(results.map((r) => r.caseId)).toEqual(['port', 'keys', 'chunks', 'none']);
    expect(progress.at(-1)).toBe(4);

    const recall = summary.aggregates.find((a) => a.metric === 'recall@5')!;
    // Three labelled cases; the unanswerable one has no labels and is not averaged in as 0.
    expect(recall.n).toBe(3);
    expect(recall.undetermined).toBe(1);
    expect(recall.mean).toBe(1);
    const f1 = summary.aggregates.find((a) => a.metric === 'token_f1')!;
    expect(f1.n).toBe(3);
    expect(f1.mean).toBeGreaterThan(0.1);
    const faith = summary.aggregates.find((a) => a.metric === 'faithfulness')!;
    expect(faith.n + faith.undetermined).toBe(4);
    expect(faith.mean).not.toBeNull();
    expect(summary.config).toMatchObject({ source: 'live', judge: { kind: 'heuristic', version: 'offline-v1' }, answer: { provider: expect.any(String) } });
    expect((summary.performance as { latencyMs: Record<string, unknown> }).latencyMs.retrieve).toMatchObject({ n: 4 });
    expect((summary.performance as { tokens: { total: number } }).tokens.total).toBeGreaterThan(0);

    const stored = await p.store.listEvalCaseResults(p.config.defaultTenant, runId);
    expect(stored).toHaveLength(4);
    const row = await p.store.getEvalRun(p.config.defaultTenant, runId);
    expect(row?.status).toBe('completed');
  });

  it('resumes a partial run without re-running finished cases', async () => {
    const p = await samplePlumb();
    const partial = goldenSet(CASES);
    // A "killed" run: two cases stored, status still running.
    const first = await runEval({ plumb: p, golden: { ...partial, cases: CASES.slice(0, 2) } });
    const row = (await p.store.getEvalRun(p.config.defaultTenant, first.runId))!;
    await p.store.putEvalRun({ ...row, status: 'running', summary: { ...row.summary, goldenSet: { name: 'tiny', contentHash: partial.contentHash, cases: 4 } } });

    // Count pipeline calls through the real ask.
    let asked = 0;
    const realAsk = p.ask.bind(p);
    p.ask = (q, o) => {
      asked++;
      return realAsk(q, o);
    };
    const resumed = await runEval({ plumb: p, golden: partial, resumeRunId: first.runId });
    expect(asked).toBe(2);
    expect(resumed.runId).toBe(first.runId);
    expect(resumed.results.map((r) => r.caseId)).toEqual(['port', 'keys', 'chunks', 'none']);
    expect(await p.store.listEvalCaseResults(p.config.defaultTenant, first.runId)).toHaveLength(4);
    expect(resumed.summary.status).toBe('completed');
  });

  it('refuses to resume with a different golden set', async () => {
    const p = await samplePlumb();
    const first = await runEval({ plumb: p, golden: goldenSet(CASES.slice(0, 1)) });
    await expect(runEval({ plumb: p, golden: goldenSet(CASES), resumeRunId: first.runId })).rejects.toThrow(/different golden set/);
  });

  it('scores recorded outputs and marks a missing one as an error, not a zero', async () => {
    const p = await samplePlumb();
    const recorded = new Map([
      ['port', { caseId: 'port', answer: 'The server listens on port 8787 by default.', contexts: [{ chunkId: 'a', documentId: 'ports', text: 'The server listens on port 8787 by default.' }] }],
    ]);
    const { results, summary } = await runEval({ plumb: p, golden: goldenSet(CASES.slice(0, 2)), recordedOutputs: recorded, judge: createOfflineJudge() });
    expect(results[0]!.scores.find((s) => s.name === 'faithfulness')?.value).toBe(1);
    expect(results[1]!.output.error).toMatch(/no recorded output/);
    const f1 = summary.aggregates.find((a) => a.metric === 'token_f1')!;
    expect(f1).toMatchObject({ n: 1, undetermined: 1 });
    expect(summary.config).toMatchObject({ source: 'recorded', answer: null });
  });
});
