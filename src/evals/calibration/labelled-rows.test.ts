import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabelledRow, readLabelledRows } from './labelled-rows.ts';

function file(lines: string[]): string {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-labels-')), 'labels.jsonl');
  fs.writeFileSync(p, lines.join('\n'));
  return p;
}

describe('labelled rows', () => {
  it('reads FaithBench rows by worst_label: Consistent/Benign faithful, Questionable/Unwanted hallucinated', () => {
    const labels = ['Consistent', 'Benign', 'Questionable', 'Unwanted'].map((worst_label) => JSON.stringify({ source: 'S', summary: 'A', model: 'm', worst_label, best_label: 'Consistent' }));
    expect(readLabelledRows(file(labels)).rows.map((r) => r.label)).toEqual([false, false, true, true]);
  });

  it('reads generic rows with boolean, 0/1 and word labels', () => {
    expect(parseLabelledRow({ context: 'c', answer: 'a', label: true })).toEqual({ row: { context: 'c', answer: 'a', label: true } });
    expect(parseLabelledRow({ context: 'c', answer: 'a', label: 0 })).toEqual({ row: { context: 'c', answer: 'a', label: false } });
    expect(parseLabelledRow({ context: 'c', answer: 'a', label: 'Hallucinated' })).toEqual({ row: { context: 'c', answer: 'a', label: true } });
    expect(parseLabelledRow({ context: 'c', answer: 'a', label: 'maybe' })).toMatchObject({ problem: expect.stringContaining('"label" must be') });
    expect(parseLabelledRow({ source: 'c', summary: 'a', worst_label: 'Fine' })).toMatchObject({ problem: expect.stringContaining('Consistent, Benign, Questionable or Unwanted') });
    expect(parseLabelledRow({ answer: 'a', label: true })).toEqual({ problem: 'missing or empty "context"' });
  });

  it('reports bad lines by number and skips them, fails under strict, and stops at the limit', () => {
    const p = file(['{"context":"c","answer":"a","label":true}', '{oops', '', '{"context":"c","answer":"b","label":false}', '{"context":"c","answer":"d","label":false}']);
    const read = readLabelledRows(p);
    expect(read.rows.map((r) => r.answer)).toEqual(['a', 'b', 'd']);
    expect(read.problems).toEqual([{ line: 2, message: expect.stringContaining('not valid JSON') }]);
    expect(() => readLabelledRows(p, { strict: true })).toThrow(/line 2: not valid JSON/);
    expect(readLabelledRows(p, { limit: 2 }).rows).toHaveLength(2);
    expect(() => readLabelledRows(path.join(os.tmpdir(), 'no-such-labels.jsonl'))).toThrow(/no such file/);
  });
});
