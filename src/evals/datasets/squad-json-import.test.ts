import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSquadJson } from './squad-json-import.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-squadjson-'));

describe('importSquadJson', () => {
  it('reads SQuAD v2 JSON: paragraphs as documents, answers verified, impossible questions unanswerable', () => {
    const context = 'Normans came from Normandy. They were descended from Norse raiders.';
    const file = path.join(dir, 'dev-v2.0.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 'v2.0',
        data: [
          {
            title: 'Normans',
            paragraphs: [
              {
                context,
                qas: [
                  { id: 'a1', question: 'Where from?', answers: [{ text: 'Normandy', answer_start: 18 }, { text: 'Normandy', answer_start: 17 }], is_impossible: false },
                  { id: 'a2', question: 'Who were their kings?', answers: [], plausible_answers: [{ text: 'Norse', answer_start: 53 }], is_impossible: true },
                  { id: 'a3', question: 'Ancestors?', answers: [{ text: 'Vikings', answer_start: 0 }] },
                ],
              },
            ],
          },
        ],
      }),
    );
    const result = importSquadJson(file);
    expect(result.documents).toEqual([{ id: 'Normans#0', title: 'Normans', text: context }]);
    expect(result.cases[0]).toEqual({ id: 'a1', question: 'Where from?', referenceAnswer: 'Normandy', relevantDocumentIds: { 'Normans#0': 1 }, goldPassages: ['Normans came from Normandy.'] });
    expect(result.cases[1]).toEqual({ id: 'a2', question: 'Who were their kings?', unanswerable: true });
    expect(result.cases[2]!.goldPassages).toBeUndefined();
    expect(result.offsetMismatches).toBe(2);
    expect(result.problems.map((p) => [p.kind, p.id])).toEqual([
      ['answer_offset_mismatch', 'a1'],
      ['answer_not_in_document', 'a3'],
    ]);
  });

  it('says what shape it expected', () => {
    const file = path.join(dir, 'wrong.json');
    fs.writeFileSync(file, JSON.stringify({ data: [{ title: 't', paragraphs: [{ qas: [] }] }] }));
    expect(() => importSquadJson(file)).toThrow(/not in SQuAD's shape: data\.0\.paragraphs\.0\.context/);
  });
});
