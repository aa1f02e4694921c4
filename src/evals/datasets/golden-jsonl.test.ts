import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlumbError } from '../../core/errors.ts';
import type { GoldenCase } from '../types.ts';
import { contentHashOf } from './golden-content-hash.ts';
import { readGoldenSet, writeGoldenSet } from './golden-jsonl.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-golden-'));
function file(name: string, lines: string[]): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, lines.join('\n'));
  return target;
}

const messy = [
  '{"id": "q1", "question": "What is BM25?", "reference_answer": "A ranking function.", "relevant_doc_ids": ["d1", "d2"]}',
  '{"id": "q2", "question": "Who wrote it?"', // 2: truncated JSON
  '',
  '{"question": "No id here"}', // 4
  '{"id": "q3", "question": 42}', // 5
  '{"id": 4, "question": "Graded?", "relevant_doc_ids": {"d3": 2, "d4": 1}, "gold_passages": "BM25 ranks documents.", "tags": ["easy"]}',
  '{"id": "q1", "question": "Same id again"}', // 7
  '{"id": "q5", "question": "Typo", "relevent_doc_ids": ["d1"]}', // 8
  '{"id": "q6", "question": "Unanswerable?", "unanswerable": true, "metadata": {"source": "hand"}}',
];

describe('readGoldenSet', () => {
  it('keeps the good lines and reports each bad one with its line number', () => {
    const set = readGoldenSet(file('messy.jsonl', messy));
    expect(set.name).toBe('messy');
    expect(set.cases.map((c) => c.id)).toEqual(['q1', '4', 'q6']);
    expect(set.problems.map((p) => p.line)).toEqual([2, 4, 5, 7, 8]);
    const byLine = new Map(set.problems.map((p) => [p.line, p.message]));
    expect(byLine.get(2)).toMatch(/not valid JSON/);
    expect(byLine.get(4)).toBe('missing "id"');
    expect(byLine.get(5)).toBe('"question" must be a string');
    expect(byLine.get(7)).toBe('duplicate id "q1" (first used on line 1)');
    expect(byLine.get(8)).toMatch(/unknown field "relevent_doc_ids"/);
    expect(set.contentHash).toBe(contentHashOf(set.cases));
  });

  it('normalises snake_case aliases, id lists and graded objects to the canonical case', () => {
    const set = readGoldenSet(file('aliases.jsonl', messy));
    expect(set.cases[0]).toEqual({ id: 'q1', question: 'What is BM25?', referenceAnswer: 'A ranking function.', relevantDocumentIds: { d1: 1, d2: 1 } });
    expect(set.cases[1]).toEqual({ id: '4', question: 'Graded?', relevantDocumentIds: { d3: 2, d4: 1 }, goldPassages: ['BM25 ranks documents.'], tags: ['easy'] });
    expect(set.cases[2]).toEqual({ id: 'q6', question: 'Unanswerable?', unanswerable: true, metadata: { source: 'hand' } });
  });

  it('under strict, throws at the first bad line naming file:line', () => {
    const target = file('strict.jsonl', messy);
    expect(() => readGoldenSet(target, { strict: true })).toThrow(`${target}:2: not valid JSON`);
    try {
      readGoldenSet(target, { strict: true });
    } catch (err) {
      expect(err).toBeInstanceOf(PlumbError);
      expect((err as PlumbError).hint).toMatch(/without --strict/);
    }
    expect(readGoldenSet(file('ok.jsonl', [messy[0]!]), { strict: true }).cases).toHaveLength(1);
  });

  it('rejects two names for one field', () => {
    const set = readGoldenSet(file('both.jsonl', ['{"id": "a", "question": "q", "referenceAnswer": "x", "reference_answer": "y"}', '{"id": "b", "question": "q"}']));
    expect(set.problems).toEqual([{ line: 1, message: 'give only one of "referenceAnswer", "reference_answer"' }]);
  });

  it('gives a clear error for an empty set or a set of only bad lines, and for a missing file', () => {
    expect(() => readGoldenSet(file('empty.jsonl', ['', '  ']))).toThrow(/is empty: it has no cases/);
    expect(() => readGoldenSet(file('allbad.jsonl', ['{}', 'nope']))).toThrow(/none of its 2 non-empty lines is a valid case \(line 1: missing "id"/);
    expect(() => readGoldenSet(path.join(dir, 'missing.jsonl'))).toThrow(/Could not read the golden set/);
  });

  it('accepts a byte-order mark and CRLF line endings', () => {
    const set = readGoldenSet(file('bom.jsonl', ['\uFEFF{"id": "a", "question": "q"}\r', '{"id": "b", "question": "r"}\r']));
    expect(set.problems).toEqual([]);
    expect(set.cases.map((c) => c.id)).toEqual(['a', 'b']);
  });
});

describe('writeGoldenSet', () => {
  const cases: GoldenCase[] = [
    { question: 'q?', id: 'b', tags: ['t'], relevantDocumentIds: { d: 1 } } as GoldenCase,
    { id: 'a', question: 'r?', referenceAnswer: 'yes', goldPassages: ['p'], metadata: { n: 1 } },
  ];

  it('writes canonical JSONL that reads back to the same cases and hash', () => {
    const target = path.join(dir, 'out', 'set.jsonl');
    writeGoldenSet(target, cases);
    const text = fs.readFileSync(target, 'utf8');
    expect(text.split('\n')[0]).toBe('{"id":"b","question":"q?","relevantDocumentIds":{"d":1},"tags":["t"]}');
    expect(text.endsWith('\n')).toBe(true);
    const back = readGoldenSet(target);
    expect(back.cases).toEqual(cases);
    expect(back.problems).toEqual([]);
    expect(back.contentHash).toBe(contentHashOf(cases));
  });

  it('refuses invalid, duplicate or no cases', () => {
    const target = path.join(dir, 'bad.jsonl');
    expect(() => writeGoldenSet(target, [{ id: 'a', question: '' }])).toThrow(/"question" is empty/);
    expect(() => writeGoldenSet(target, [cases[1]!, cases[1]!])).toThrow(/Duplicate case id "a"/);
    expect(() => writeGoldenSet(target, [])).toThrow(/empty golden set/);
    expect(fs.existsSync(target)).toBe(false);
  });
});
