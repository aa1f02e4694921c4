// Calibration of a real LLM judge (plumb's OpenAI-compatible provider against the OpenAI wire
// server) on a tiny labelled set whose confusion matrix is known, stored in a real SQLite store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleChat } from '../../providers/openai-compatible/index.ts';
import { startOpenAIWireServer, type OpenAIWireServer } from '../../providers/testing/index.ts';
import { SqliteStore } from '../../store/index.ts';
import { createLlmJudge } from '../judges/llm/index.ts';
import { calibrateJudge, labelledDataHash, type LabelledRow } from './calibrate-judge.ts';
import { describeCalibration, getCalibration, saveCalibration } from './stored-calibration.ts';

let server: OpenAIWireServer | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await server?.close();
  await store?.close();
  server = undefined;
  store = undefined;
});

// The scripted judge calls a claim unsupported when it says "wrong", and never answers validly about fire.
async function scriptedJudge() {
  server = await startOpenAIWireServer((request) => {
    const messages = (request.body as { messages: Array<{ content: string }> }).messages;
    const claim = /^Claim: (.*)$/m.exec(messages[1]?.content ?? '')?.[1] ?? '';
    if (claim.includes('Fire')) return { type: 'chat', text: 'I cannot say.' };
    const verdict = claim.includes('wrong') ? 'unsupported' : 'supported';
    return { type: 'chat', text: JSON.stringify({ verdicts: [{ passage: 1, verdict, quote: verdict === 'supported' ? claim : '' }] }) };
  });
  return createLlmJudge({ model: createOpenAICompatibleChat({ baseURL: server.baseURL, model: 'judge-1', providerName: 'wire' }) });
}

const rows: LabelledRow[] = [
  { context: 'The sky is blue.', answer: 'The sky is blue.', label: false }, // TN
  { context: 'The sky is blue.', answer: 'The sky is wrong green.', label: true }, // TP
  { context: 'Grass is green.', answer: 'The grass is wrong red.', label: false }, // FP
  { context: 'Water is wet.', answer: 'Water is wet.', label: true }, // FN
  { context: 'Fire is hot.', answer: 'Fire is hot.', label: true }, // undetermined
  { context: 'Snow is white.', answer: 'Snow is wrong black.', label: true }, // TP
];

describe('calibrateJudge', () => {
  it('measures agreement with the labels, leaving undetermined rows out of the metrics', async () => {
    const judge = await scriptedJudge();
    const seen: Array<boolean | null> = [];
    const c = await calibrateJudge({ judge, rows, onRow: (p) => (seen[p.index] = p.predicted), now: () => new Date('2026-01-02T03:04:05Z') });

    expect(seen).toEqual([false, true, true, false, null, true]);
    expect(c.confusion).toEqual({ truePositive: 2, falsePositive: 1, trueNegative: 1, falseNegative: 1 });
    expect(c).toMatchObject({ n: 5, undetermined: 1, judgeKind: 'llm', judgeVersion: judge.version, measuredAt: '2026-01-02T03:04:05.000Z', dataHash: labelledDataHash(rows) });
    expect(c.balancedAccuracy).toBeCloseTo((2 / 3 + 1 / 2) / 2, 10);
    expect(c.precision).toBeCloseTo(2 / 3, 10);
    expect(c.recall).toBeCloseTo(2 / 3, 10);
    expect(c.f1).toBeCloseTo(4 / 6, 10);
    // observed 3/5, chance (3·3 + 2·2)/25 = 0.52 → κ = 0.08 / 0.48
    expect(c.kappa).toBeCloseTo(0.08 / 0.48, 10);
    expect(c.reasons[0]).toMatch(/^row 5 undetermined: 1 of 1 claims undetermined: claim-support@1: the judge's reply was still invalid/);
  });

  it('says why a metric is undetermined instead of reporting 0 (no hallucinated labels)', async () => {
    const judge = await scriptedJudge();
    const c = await calibrateJudge({ judge, rows: [rows[0]!, rows[2]!] });
    expect(c.recall).toBeNull();
    expect(c.balancedAccuracy).toBeNull();
    expect(c.reasons.join('\n')).toMatch(/recall undetermined: no example is labelled positive/);
  });

  it('changes the data hash when a label changes', () => {
    const flipped = rows.map((r, i) => (i === 0 ? { ...r, label: !r.label } : r));
    expect(labelledDataHash(flipped)).not.toBe(labelledDataHash(rows));
  });

  it('stores the calibration under the judge version and reads it back for reports', async () => {
    const judge = await scriptedJudge();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-calibration-'));
    store = SqliteStore.open({ path: path.join(dir, 'plumb.db') });
    const c = await calibrateJudge({ judge, rows });
    await saveCalibration(store, 'default', c);

    expect(await getCalibration(store, 'default', judge.version)).toEqual(c);
    expect(await getCalibration(store, 'default', 'offline-v1')).toBeNull();
    expect(await getCalibration(store, 'other-tenant', judge.version)).toBeNull();
    expect(describeCalibration(c)).toMatch(/^LLM judge llm-v1:wire\/judge-1:.*: balanced accuracy 0\.58, precision 0\.67, recall 0\.67, κ 0\.17 against human labels \(n 5, 1 undetermined;/);
    expect(describeCalibration(null)).toMatch(/not calibrated/);

    await store.putJudgeCalibration('default', 'broken', { balancedAccuracy: 'high' });
    await expect(getCalibration(store, 'default', 'broken')).rejects.toMatchObject({ code: 'internal' });
  });
});
