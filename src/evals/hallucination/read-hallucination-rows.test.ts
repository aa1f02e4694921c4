import { describe, expect, it } from 'vitest';
import { parseHallucinationJsonl } from './read-hallucination-rows.ts';

const faithbench = (label: string): string => JSON.stringify({ source: 'Poseidon grossed $ 181 million .', summary: 'Poseidon grossed $181 million.', model: 'm', worst_label: label, best_label: 'Consistent' });

describe('parseHallucinationJsonl', () => {
  it('reads FaithBench rows as published: worst_label Questionable/Unwanted = hallucinated', () => {
    const { rows, problems } = parseHallucinationJsonl(['Consistent', 'Benign', 'Questionable', 'Unwanted'].map(faithbench).join('\n'));
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.label, r.hallucinated])).toEqual([
      ['Consistent', false],
      ['Benign', false],
      ['Questionable', true],
      ['Unwanted', true],
    ]);
    expect(rows[0]).toMatchObject({ line: 1, context: 'Poseidon grossed $ 181 million .', answer: 'Poseidon grossed $181 million.', model: 'm' });
  });

  it('reads generic rows with boolean, numeric and named labels', () => {
    const text = [
      { context: 'c', answer: 'a', label: true },
      { context: 'c', answer: 'a', label: 0 },
      { source: 'c', summary: 'a', label: 'faithful' },
      { context: 'c', answer: 'a', label: 'Hallucinated' },
    ].map((r) => JSON.stringify(r)).join('\n');
    expect(parseHallucinationJsonl(text).rows.map((r) => r.hallucinated)).toEqual([true, false, false, true]);
  });

  it('reports malformed lines with their numbers and skips them, or throws under strict', () => {
    const text = [faithbench('Unwanted'), '{not json', '', JSON.stringify({ context: 'c', answer: 'a', label: 'maybe' }), JSON.stringify({ answer: 'a', label: true }), faithbench('Benign')].join('\n');
    const { rows, problems } = parseHallucinationJsonl(text);
    expect(rows.map((r) => r.line)).toEqual([1, 6]);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5]);
    expect(problems[1]!.message).toMatch(/label "maybe"/);
    expect(problems[2]!.message).toMatch(/missing "context"/);
    expect(() => parseHallucinationJsonl(text, { strict: true })).toThrow(/line 2: not valid JSON/);
  });

  it('honours --limit and refuses a file with no usable rows', () => {
    expect(parseHallucinationJsonl([faithbench('Unwanted'), faithbench('Benign'), faithbench('Benign')].join('\n'), { limit: 2 }).rows).toHaveLength(2);
    expect(() => parseHallucinationJsonl('')).toThrow(/no usable rows: the file is empty/);
    expect(() => parseHallucinationJsonl('[1]')).toThrow(/line 1: not a JSON object/);
  });
});
