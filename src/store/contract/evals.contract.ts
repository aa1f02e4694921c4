/** Contract: evaluation runs, per-case results, the judge cache and calibrations. */
import { describe, expect, it } from 'vitest';
import type { EvalRunRow } from '../../core/store.ts';
import { useStore, type OpenStore } from './use-store.ts';

function run(tenantId: string, id: string, name: string, createdAt: string): EvalRunRow {
  return { id, tenantId, name, createdAt, status: 'running', summary: { goldenSet: { contentHash: 'abc' } } };
}

export function evalsContract(open: OpenStore): void {
  describe('evaluation records', () => {
    const store = useStore(open);

    it('stores runs, finds them by id or by newest name, and updates them in place', async () => {
      await store().putEvalRun(run('t', 'r1', 'nightly', '2026-01-01T00:00:00.000Z'));
      await store().putEvalRun(run('t', 'r2', 'nightly', '2026-01-02T00:00:00.000Z'));
      expect((await store().getEvalRun('t', 'r1'))!.id).toBe('r1');
      expect((await store().getEvalRun('t', 'nightly'))!.id).toBe('r2');
      await store().putEvalRun({ ...run('t', 'r1', 'nightly', '2026-01-01T00:00:00.000Z'), status: 'completed', summary: { done: true } });
      const updated = (await store().getEvalRun('t', 'r1'))!;
      expect(updated.status).toBe('completed');
      expect(updated.summary).toEqual({ done: true });
      expect((await store().listEvalRuns('t')).map((r) => r.id)).toEqual(['r2', 'r1']);
      expect(await store().getEvalRun('t', 'missing')).toBeNull();
    });

    it('keeps case results in first-stored order, replacing a re-scored case in place', async () => {
      await store().putEvalRun(run('t', 'r', 'x', '2026-01-01T00:00:00.000Z'));
      await store().putEvalCaseResult('t', 'r', 'c2', { v: 1 });
      await store().putEvalCaseResult('t', 'r', 'c1', { v: 2 });
      await store().putEvalCaseResult('t', 'r', 'c2', { v: 3 });
      expect(await store().listEvalCaseResults('t', 'r')).toEqual([
        { caseId: 'c2', result: { v: 3 } },
        { caseId: 'c1', result: { v: 2 } },
      ]);
    });

    it('caches judge outputs and calibrations per tenant', async () => {
      await store().putJudgeCache('t', 'k1', 'llm-v1', { verdict: 'supported' });
      expect(await store().getJudgeCache('t', 'k1')).toEqual({ verdict: 'supported' });
      expect(await store().getJudgeCache('other', 'k1')).toBeNull();
      await store().putJudgeCalibration('t', 'offline-v1', { balancedAccuracy: 0.61 });
      await store().putJudgeCalibration('t', 'offline-v1', { balancedAccuracy: 0.63 });
      expect(await store().getJudgeCalibration('t', 'offline-v1')).toEqual({ balancedAccuracy: 0.63 });
      expect(await store().getJudgeCalibration('other', 'offline-v1')).toBeNull();
    });

    it('never shows one tenant another tenant’s runs', async () => {
      await store().putEvalRun(run('a', 'r', 'secret-run', '2026-01-01T00:00:00.000Z'));
      await store().putEvalCaseResult('a', 'r', 'c', { answer: 'secret' });
      expect(await store().getEvalRun('b', 'r')).toBeNull();
      expect(await store().getEvalRun('b', 'secret-run')).toBeNull();
      expect(await store().listEvalRuns('b')).toEqual([]);
      expect(await store().listEvalCaseResults('b', 'r')).toEqual([]);
    });
  });
}
