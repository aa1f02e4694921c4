import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSquadStyle, nearestOccurrence } from './squad-style-import.ts';

const covidqa = '/work/shared/datasets/covidqa';

describe('importSquadStyle on COVID-QA', () => {
  it('imports all 1,380 questions, reports the 38 answers that are not at their offset, and keeps every answer inside its gold passage', async () => {
    const result = await importSquadStyle({ golden: `${covidqa}/golden.jsonl`, corpus: `${covidqa}/corpus.jsonl` });
    expect(result.cases).toHaveLength(1380);
    // Measured: 38 rows give an answer_start 3 characters before the answer; each answer occurs in its article.
    expect(result.offsetMismatches).toBe(38);
    expect(result.problems).toHaveLength(38);
    expect(new Set(result.problems.map((p) => p.kind))).toEqual(new Set(['answer_offset_mismatch']));
    for (const c of result.cases) {
      expect(c.goldPassages).toHaveLength(1);
      expect(c.goldPassages![0]).toContain(c.referenceAnswer!.trim());
      expect(Object.keys(c.relevantDocumentIds!)).toHaveLength(1);
    }
    expect(result.cases[0]).toMatchObject({
      id: '262',
      referenceAnswer: 'Mother-to-child transmission (MTCT) is the main cause of HIV-1 infection in children worldwide.',
      relevantDocumentIds: { '630': 1 },
      metadata: { answerStart: 370 },
    });
  });
});

describe('importSquadStyle on bad input', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-squad-'));
  const corpus = path.join(dir, 'corpus.jsonl');
  fs.writeFileSync(corpus, ['{"id": "d1", "text": "Intro here. The virus binds ACE2 receptors. More text follows."}', '{"id": "d2"}'].join('\n'));
  const golden = path.join(dir, 'golden.jsonl');
  fs.writeFileSync(
    golden,
    [
      '{"id": "1", "question": "What does it bind?", "answer": "ACE2 receptors", "doc_id": "d1", "answer_start": 28}',
      '{"id": "2", "question": "Shifted?", "answer": "ACE2 receptors", "doc_id": "d1", "answer_start": 25}',
      '{"id": "3", "question": "Missing?", "answer": "spike protein", "doc_id": "d1", "answer_start": 0}',
      '{"id": "4", "question": "Which doc?", "answer": "x", "doc_id": "nope", "answer_start": 0}',
      '{"id": "5", "question": "Bad offset type", "answer": "x", "doc_id": "d1", "answer_start": "3"}',
      '{"id": "1", "question": "Again", "answer": "Intro", "doc_id": "d1", "answer_start": 0}',
    ].join('\n'),
  );

  it('reports each problem with its line and keeps what can be kept', async () => {
    const result = await importSquadStyle({ golden, corpus });
    expect(result.problems.map((p) => [p.line, p.kind])).toEqual([
      [2, 'bad_line'], // corpus row without text
      [2, 'answer_offset_mismatch'],
      [3, 'answer_not_in_document'],
      [4, 'unknown_document'],
      [5, 'bad_line'],
      [6, 'duplicate_id'],
    ]);
    expect(result.offsetMismatches).toBe(2);
    expect(result.cases.map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(result.cases[0]!.goldPassages).toEqual(['The virus binds ACE2 receptors.']);
    expect(result.cases[1]!.metadata).toEqual({ answerStart: 28 });
    expect(result.cases[2]!.goldPassages).toBeUndefined(); // no passage rather than a wrong one
    expect(result.problems[4]!.message).toMatch(/golden\.jsonl:5: answer_start/);
  });

  it('under strict, stops at the first problem', async () => {
    await expect(importSquadStyle({ golden, corpus, strict: true })).rejects.toThrow(/corpus\.jsonl:2/);
  });

  it('finds the occurrence nearest the given offset', () => {
    expect(nearestOccurrence('ab ab ab', 'ab', 4)).toBe(3);
    expect(nearestOccurrence('ab ab ab', 'zz', 4)).toBeUndefined();
  });
});
